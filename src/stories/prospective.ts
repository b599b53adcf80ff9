/**
 * Whether a report announces a release that has not happened yet ("Grok 3 is in its final stages and
 * will launch in two weeks", "即将发布") rather than reporting one. The promise and the launch are two
 * events, a few days apart and naming the same model: clustering keeps them apart on this signal.
 * Runs on folded text (lower case, no diacritics) of the title and the first sentence of the lead.
 */
const UPCOMING = new RegExp(
  [
    String.raw`\bwill (?:be )?(?:launch|release|unveil|debut|ship|arriv|roll(?:ing)? out|introduc|available)\w*`,
    String.raw`\b(?:is|are) (?:coming|expected to|set to|about to|poised to|slated to|due to|nearing)\b`,
    String.raw`\bfinal stages?\b|\bcoming (?:soon|weeks|days)\b|\bin the (?:coming|next) (?:days|weeks)\b|\bteas(?:es|ed|ing)\b`,
    String.raw`\bupcoming\b|\bplans? to (?:launch|release|unveil)\b|\bwithin (?:a|one|two|three|\d) weeks?\b`,
    String.raw`\blanzara\b|\bpresentara\b|\bllegara\b|\bproximamente\b|\bproximas semanas\b|\bfase final\b|\bvai lancar\b`,
    '即将(?:发布|推出|上线|开源)|将于|预计将|下周(?:发布|推出)|即將(?:發布|推出)',
  ].join('|'),
  'u',
);
// A report that says the thing happened is about the release, whatever it also says is coming.
const HAPPENED = new RegExp(
  [
    String.raw`(?<!\b(?:will|to|would|could|may|might|should) (?:be |have )?)\b(?:launched|launches|released|releases|unveiled|unveils|introduced|introduces|rolls out|rolled out|debuted|is out|now available|dropped|ships|shipped)\b`,
    String.raw`\b(?:lanza|lanzo|presenta|presento|lanzamiento de|ha lanzado|lancou|lanca|apresenta)\b`,
    '发布了|推出了|正式发布|正式推出|上线|發布了|正式發布|横空出世|亮相|发布会',
  ].join('|'),
  'u',
);

/** True when the opening of a report announces a release yet to come and does not report one. */
export function isProspective(foldedOpening: string): boolean {
  return UPCOMING.test(foldedOpening) && !HAPPENED.test(foldedOpening);
}
