import { ANCHORS } from '../catalog/anchors.js';
import { foldForMatch } from '../catalog/fold.js';
import { type Entities, LEAD_CHARS } from '../catalog/match-entities.js';
import { isProspective } from './prospective.js';
import { extractQuantities, extractTickers } from './quantities.js';
import { extractTerms } from './terms.js';

/** What clustering compares of one report. */
export interface ItemFeatures {
  /** Publication time. @unit milliseconds since the epoch */
  at: number;
  /**
   * The models the report is about (`lab|key`): named in the title, not as a comparison; else the first
   * one the lead names (`lab|key|lead`).
   */
  subjects: string[];
  /** Labs the report is mainly about. */
  principal: string[];
  /** It announces a release still to come ("will launch in two weeks"). */
  prospective: boolean;
  /**
   * Language-independent terms — models (`k:`), model lines (`n:`), labs (`l:`), anchors (`a:`) and
   * quantities (`q:`) — with weights; they carry a story across languages.
   */
  anchors: Map<string, number>;
  /** Words of the title (twice) and lead, in the report's own language. */
  words: Map<string, number>;
}

const KIND_WEIGHT: Record<string, number> = { org: 2, person: 2, product: 2.5, gov: 1.5, place: 1, event: 1 };
const ANCHOR_WEIGHT = new Map(ANCHORS.map((a) => [a.id, KIND_WEIGHT[a.kind] ?? 1]));

function add(v: Map<string, number>, term: string, w: number): void {
  v.set(term, Math.max(v.get(term) ?? 0, w));
}

/**
 * The features of one report from its title, its text and what the catalog found in them. Only the
 * title and lead count: what a long article says further down is context, not the event.
 */
export function itemFeatures(
  item: { title: string; text: string; publishedAt: string },
  entities: Entities,
): ItemFeatures {
  const lead = item.text.slice(0, LEAD_CHARS);
  const models = entities.models.filter((m) => !m.comparison && m.region !== 'body');
  // A line named without a version or anything else ("Qwen", "ChatGPT") says who, not which release.
  const specific = models.filter(
    (m) => m.model.version || m.model.tiers.length || m.model.editions.length || m.model.sizes.length,
  );
  // A headline is about its first model's lab: "DeepSeek's V4 takes aim at GPT-5.5" is not GPT-5.5 news.
  const firstInTitle = specific.find((m) => m.region === 'title');
  const inTitle = specific.filter((m) => m.region === 'title' && m.labId === firstInTitle?.labId);
  // A headline names what the report is about; models a lead names are weaker evidence (a shortened
  // name, a predecessor): they are marked `|lead` and tie only as related models. Either way, only the
  // first-named model's lab counts ("DeepSeek's V4 takes aim at GPT-5.5" is not GPT-5.5 news).
  const pool = inTitle.length > 0 ? inTitle : specific.filter((m) => m.labId === specific[0]?.labId);
  const subjects = pool.map((m) => `${m.labId}|${m.key}${inTitle.length > 0 ? '' : '|lead'}`);
  const anchors = new Map<string, number>();
  for (const m of models) {
    add(anchors, `k:${m.key}`, m.region === 'title' ? 4 : 2.5);
    add(anchors, `n:${m.model.ns}@${m.model.version ?? '*'}`, m.region === 'title' ? 2 : 1.5);
  }
  for (const l of entities.about) add(anchors, `l:${l}`, entities.principal.includes(l) ? 2 : 1);
  for (const a of entities.anchors) add(anchors, `a:${a}`, ANCHOR_WEIGHT.get(a) ?? 1);
  const opening = foldForMatch(`${item.title}\n${lead}`);
  for (const q of extractQuantities(opening)) add(anchors, q, 2);
  for (const t of extractTickers(opening)) add(anchors, t, 3);
  const words = new Map<string, number>();
  for (const t of extractTerms(item.title)) words.set(t, (words.get(t) ?? 0) + 2);
  for (const t of extractTerms(lead)) words.set(t, (words.get(t) ?? 0) + 1);
  const end = /[.!?。！？](?:\s|$)/.exec(lead);
  const firstSentence = end ? lead.slice(0, end.index + 1) : lead;
  return {
    at: Date.parse(item.publishedAt),
    subjects,
    principal: entities.principal,
    prospective: isProspective(opening.slice(0, item.title.length + 1 + firstSentence.length)),
    anchors,
    words,
  };
}
