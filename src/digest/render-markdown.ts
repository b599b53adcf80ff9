import { cleaned } from './cleaned.js';
import type { Digest } from './compose-digest.js';
import { formatDay } from './labels.js';

const md = (s: string) => s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
const link = (url: string | null, label: string) =>
  url && /^https?:\/\//i.test(url) ? `[${md(label)}](${url.replace(/[()\s]/g, encodeURIComponent)})` : md(label);

/** The digest as Markdown (for email, wikis, or anything that is not Slack). */
export function renderMarkdown(raw: Digest): string {
  const d = cleaned(raw);
  const l = d.labels;
  const out: string[] = [
    `# ${md(l.title)} — ${formatDay(new Date(d.to), d.language, d.timeZone)}`,
    '',
    `_${md(d.windowText)}_`,
    '',
  ];
  if (d.quiet) out.push(md(l.quiet), '');
  if (d.stories.length > 0) {
    out.push(`## ${md(l.topStories)}`, '');
    for (const s of d.stories) {
      out.push(
        `### ${link(s.url, s.title)}`,
        '',
        `${md(s.summary)}${s.originalLanguage ? ` _(${md(l.inLanguage(s.originalLanguage))})_` : ''}`,
        '',
      );
      out.push(
        `${md(l.sources(s.sources.length))}: ${s.sources.map((x) => link(x.url, x.feed ?? x.title)).join(' · ')}${s.watched ? ` · _${md(l.watched)}_` : ''}`,
        '',
      );
    }
    if (d.more > 0) out.push(md(l.more(d.more).replace(/`/g, '')), '');
  }
  if (d.newModels.length > 0) {
    out.push(`## ${md(l.newModels)}`, '');
    for (const m of d.newModels)
      out.push(`- ${link(m.url, m.name)}${m.lab ? ` — ${md(m.lab)}` : ''} — ${md(m.origin)} · ${md(m.openness)}`);
    out.push('');
  }
  if (d.modelChanges?.length) {
    out.push(`## ${md(l.modelChanges)}`, '', ...d.modelChanges.map((c) => `- ${md(c.text)}`));
    if (d.moreChanges) out.push('', md(l.moreChanges(d.moreChanges).replace(/`/g, '')));
    out.push('');
  }
  if (d.pulse || d.usagePulse)
    out.push(`## ${md(l.pulse)}`, '', ...[d.pulse, d.usagePulse ?? ''].filter(Boolean).map(md), '');
  const how = d.model === 'offline' ? l.offline : l.summariesBy(d.model);
  out.push(`---`, `${md(how)}${d.tokens > 0 ? ` · ${md(l.tokens(d.tokens))}` : ''}`);
  return out.join('\n');
}
