import { ANCHORS } from './anchors.js';
import { Automaton } from './automaton.js';
import { AI_CONTEXT_ALL, isComparison } from './cues.js';
import { CJK, foldForMatch, isLetter, isWordChar } from './fold.js';
import { LABS } from './labs.js';
import { type ModelName, modelKey, normalizeVersion, readQualifiers, VERSION_AFTER } from './model-name.js';
import type { LabEntry, Openness, Origin } from './types.js';

type Mode = 'always' | 'context' | 'version';

interface Pattern {
  text: string;
  /** A lab alias, or an anchor (a gazetteer name: company, person, place, event noun). */
  labId: string | null;
  anchor: string | null;
  familyId: string | null;
  mode: Mode;
  /** Namespace for version keys: two versions conflict only within one namespace. */
  namespace: string;
  /** The model line for release identity (tiers are qualifiers there, not namespaces). */
  line: string;
  /** Tier words the alias itself carries ("Claude Opus" → opus). */
  tiers: string[];
  /** A version the alias itself carries ("KM K2" → k2, "o3" → o3). */
  impliedVersion: string | null;
  latin: boolean;
  /** Written with a capital first letter: a capital after a lower-case letter is a word start ("modeloDeepSeek"). */
  capital: boolean;
}

/** A model version found in text. */
export interface VersionMatch {
  labId: string;
  familyId: string | null;
  /** As written, e.g. "Qwen3.5-397B". */
  name: string;
  /** For tags and search: `namespace@version`, e.g. `qwen@3.5`. */
  key: string;
}

/** Where in a report something was named. */
export type Region = 'title' | 'lead' | 'body';

/** A model a report names, with what decides release identity (see model-name.ts). */
export interface ModelMention {
  labId: string;
  model: ModelName;
  /** `modelKey(model)`, e.g. `deepseek@r1~lite~preview`. */
  key: string;
  region: Region;
  /** Named as a point of comparison ("rivals o1"), not as what the report is about. */
  comparison: boolean;
}

/** Everything the catalog recognised in a text. */
export interface Entities {
  /** Every lab named (what the story is about, then what it only mentions). */
  labs: string[];
  /** Labs named in the title or lead, not as a comparison. */
  about: string[];
  /** Labs named only in the body or only as a comparison. */
  mentions: string[];
  /** The labs the report is mainly about: named in the title (else first in the lead), not as a comparison. */
  principal: string[];
  families: string[];
  versions: VersionMatch[];
  models: ModelMention[];
  /** Gazetteer anchors (companies, people, places, institutions, event nouns) named in the title or lead. */
  anchors: string[];
  origins: Origin[];
  openness: Openness[];
}

/** How much of a report is read: whole articles, bounded. @unit characters */
export const MATCH_LIMIT = 20_000;
/** The lead: what a report says first, after its title. @unit characters */
export const LEAD_CHARS = 400;

const EU = new Set([
  'FR',
  'DE',
  'CH',
  'GB',
  'NL',
  'IT',
  'ES',
  'SE',
  'FI',
  'PL',
  'AT',
  'BE',
  'DK',
  'IE',
  'PT',
  'CZ',
  'NO',
  'EU',
]);

/** US, CN, EU or other, from an ISO country code. */
export function originOf(country: string): Origin {
  if (country === 'US' || country === 'CN') return country;
  return EU.has(country) ? 'EU' : 'other';
}

const CONTEXT_WINDOW = 90;
// A lettered version a word or two after the name: "DeepSeek's new V4", "DeepSeek lanza V4", "its R1".
const VERSION_NEARBY = /^(?:['’]s)?(?: [\p{L}]{1,12}){1,3} ([vkmxr]\d{1,2}(?:\.\d{1,2})?)(?![a-z0-9]|\.\d)/u;
const VERSION_CONTINUES = /^(\.\d{1,2})/;
// The rest of a model name as written: sizes and tiers after the version ("-397B-A17B", " Pro", "-Flash").
const NAME_TAIL =
  /^((?:[ -](?:\d{1,4}(?:\.\d)?[bm]|a\d{1,3}b|e\d+b|pro|flash|plus|max|mini|nano|turbo|air|lite|coder|instruct|thinking|fast|ultra|super|large|medium|small|speciale|terminus|opus|sonnet|haiku|scout|maverick)(?![a-z0-9]))*)/iu;

const TIER =
  / (large|medium|small|opus|sonnet|haiku|pro|flash|lite|micro|premier|nano|ultra|mini|max|plus|scout|maverick|guard)$/;

// What a report says about the release itself, for labs and families that ship both open and closed
// models ("mixed": Qwen, Mistral, Gemini's maker). Matched on folded text: lower case, hyphens as spaces.
const NEGATED = String.raw`(?:\b(?:not|no|never|without)|n[’']t) (?:an? )?open (?:source|weights?)\b`;
const NEGATED_OPEN = new RegExp(NEGATED, 'g');
const OPEN_EVIDENCE =
  /\bopen (?:weights?|sourced?|sources)\b|\bapache (?:licen[cs]e|2\b)|\bmit licen[cs]e|\bunder (?:the )?mit\b|\bon hugging ?face\b|\bpesos abiertos\b|\bcodigo abierto\b|\bpoids ouverts\b|开源|开放权重/;
const CLOSED_EVIDENCE = new RegExp(
  [
    String.raw`\bapi only\b|\bonly (?:through|via|in) (?:its|the|an) api\b|\bclosed (?:source|weights?|model)\b`,
    String.raw`\bproprietary\b|\bsolo (?:por|via|a traves de) (?:la )?api\b|\bmodelo cerrado\b|闭源`,
    String.raw`\bweights (?:are|were) (?:not|never) (?:published|released|open|available)\b`,
    NEGATED,
  ].join('|'),
);

/** 'open-weight' or 'closed' when the text says which, else null (it says neither, or both). */
function opennessEvidence(folded: string): Openness | null {
  const closed = CLOSED_EVIDENCE.test(folded);
  const open = OPEN_EVIDENCE.test(folded.replace(NEGATED_OPEN, ' '));
  if (open === closed) return null;
  return open ? 'open-weight' : 'closed';
}

function buildPatterns(labs: LabEntry[]): Pattern[] {
  const patterns: Pattern[] = [];
  const add = (alias: string, lab: LabEntry, familyId: string | null, mode: Mode) => {
    const folded = foldForMatch(alias.trim());
    const implied = /^(.*\S) ((?:[vrkmxo])?\d{1,2}(?:\.\d{1,2})?)$/.exec(folded) ?? /^()(o\d)$/.exec(folded);
    // "Claude Opus 4.7" and "Claude Sonnet 4.5" are different lines: a tier word gives its own namespace.
    const tiered = !implied && TIER.test(folded);
    const namespace = familyId === null ? (lab.versionFamily ?? lab.id) : tiered ? folded.replace(/ /g, '-') : familyId;
    const tier = tiered ? TIER.exec(folded)?.[1] : undefined;
    patterns.push({
      text: folded,
      labId: lab.id,
      anchor: null,
      familyId,
      mode,
      namespace,
      line: familyId ?? lab.versionFamily ?? lab.id,
      tiers: tier ? [tier] : [],
      impliedVersion: implied ? (implied[2] as string).replace(/ /g, '') : null,
      latin: /[a-z]/.test(folded),
      capital: /^\p{Lu}/u.test(alias.trim()),
    });
  };
  for (const lab of labs) {
    for (const a of lab.aliases) add(a, lab, null, 'always');
    for (const a of lab.ambiguous ?? []) add(a, lab, null, 'context');
    for (const a of lab.strict ?? []) add(a, lab, null, 'version');
    for (const f of lab.families) {
      for (const a of f.aliases) add(a, lab, f.id, 'always');
      for (const a of f.ambiguous ?? []) add(a, lab, f.id, 'context');
      for (const a of f.strict ?? []) add(a, lab, f.id, 'version');
    }
  }
  const known = new Set(patterns.map((p) => p.text));
  for (const a of ANCHORS)
    for (const name of a.names) {
      const folded = foldForMatch(name.trim());
      // A lab alias wins where the two spell alike ("Claude Code" is a product of a catalogued family).
      if (known.has(folded)) continue;
      patterns.push({
        text: folded,
        labId: null,
        anchor: a.id,
        familyId: null,
        mode: 'always',
        namespace: '',
        line: '',
        tiers: [],
        impliedVersion: null,
        latin: /[a-z]/.test(folded),
        capital: /^\p{Lu}/u.test(name.trim()),
      });
    }
  return patterns;
}

/** The catalog matcher: labs, models, anchors, origins and openness in a title and text. */
export interface EntityMatcher {
  match(title: string, text?: string): Entities;
  lab(id: string): LabEntry | undefined;
}

interface Hit {
  p: Pattern;
  start: number;
  end: number;
}

/** A word boundary before `start`: not inside a word, or a capital after a lower-case letter ("modeloDeepSeek"). */
function boundaryBefore(original: string, folded: string, start: number, p: Pattern): boolean {
  const prev = folded[start - 1];
  if (!isWordChar(prev) || CJK.test(prev ?? '')) return true;
  const o = original[start - 1] ?? '';
  return p.capital && /\p{Ll}/u.test(o) && /\p{Lu}/u.test(original[start] ?? '');
}

/** A word boundary after `end`: not followed by a letter, unless a version follows at once ("DeepSeekR1", "Grok3"). */
function boundaryAfter(folded: string, end: number, p: Pattern): boolean {
  const next = folded[end];
  if (!isLetter(next) || CJK.test(next ?? '')) return true;
  return p.labId !== null && /^[vrkmx]\d/.test(folded.slice(end, end + 2));
}

/** Builds the matcher once (the automaton over every alias and anchor); matching is then one pass per text. */
export function createEntityMatcher(labs: LabEntry[] = LABS): EntityMatcher {
  const patterns = buildPatterns(labs);
  const automaton = new Automaton(patterns.map((p) => p.text));
  const labsById = new Map(labs.map((l) => [l.id, l]));
  const familyOpenness = new Map(labs.flatMap((l) => l.families.map((f) => [f.id, f.openness] as const)));

  function scan(original: string, folded: string): Hit[] {
    const hits: Hit[] = [];
    automaton.scan(folded, (idx, end) => {
      const p = patterns[idx] as Pattern;
      const start = end - p.text.length;
      if (p.latin && !(boundaryBefore(original, folded, start, p) && boundaryAfter(folded, end, p))) return;
      hits.push({ p, start, end });
    });
    // Keep the longest match where names overlap ("Mistral AI" over "Mistral", "Claude Opus" over "Claude").
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Hit[] = [];
    for (const h of hits) {
      const last = kept[kept.length - 1];
      if (last && h.start < last.end) continue;
      kept.push(h);
    }
    return kept;
  }

  /** The version written after a name, and where the name ends. */
  function versionAt(h: Hit, folded: string): { version: string | null; end: number; written: boolean } {
    let version = h.p.impliedVersion;
    let end = h.end;
    const after = folded.slice(end, end + 24);
    if (version) {
      const more = VERSION_CONTINUES.exec(after);
      if (more) {
        version += more[1];
        end += (more[1] as string).length;
      }
      return { version, end, written: false };
    }
    const v = VERSION_AFTER.exec(after);
    if (v) return { version: (v[1] as string).replace(/ /g, ''), end: end + (v[0] as string).length, written: true };
    const near = h.p.mode === 'always' && h.p.labId ? VERSION_NEARBY.exec(folded.slice(end, end + 48)) : null;
    if (near) return { version: near[1] as string, end: end + (near[0] as string).length, written: true };
    return { version: null, end, written: false };
  }

  function match(title: string, text = ''): Entities {
    const body = text.length > MATCH_LIMIT ? text.slice(0, MATCH_LIMIT) : text;
    const original = body ? `${title}\n${body}` : title;
    const folded = foldForMatch(original);
    const titleEnd = title.length;
    const leadEnd = titleEnd + 1 + LEAD_CHARS;
    const regionOf = (at: number): Region => (at < titleEnd ? 'title' : at < leadEnd ? 'lead' : 'body');
    const kept = scan(original, folded);
    const labsFound = new Map<string, { about: boolean; first: number; title: boolean }>();
    const families = new Set<string>();
    const versions = new Map<string, VersionMatch>();
    const models = new Map<string, ModelMention>();
    const anchors = new Set<string>();
    const hasAlwaysNearby = (c: Hit) =>
      kept.some((k) => k !== c && k.p.labId && k.p.mode === 'always' && Math.abs(k.start - c.start) <= CONTEXT_WINDOW);
    // Where AI words are, found once per text (in text order): a long article has many ambiguous names
    // to check, each by a binary search for the first AI word at or after its window's start.
    let context: number[] | undefined;
    const contextNear = (c: Hit) => {
      context ??= [...folded.matchAll(AI_CONTEXT_ALL)].map((m) => m.index ?? 0);
      const from = c.start - CONTEXT_WINDOW;
      let lo = 0;
      let hi = context.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((context[mid] as number) < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < context.length && (context[lo] as number) < c.end + CONTEXT_WINDOW;
    };
    for (const c of kept) {
      const region = regionOf(c.start);
      if (c.p.anchor) {
        if (region !== 'body') anchors.add(c.p.anchor);
        continue;
      }
      const labId = c.p.labId as string;
      const { version, end, written } = versionAt(c, folded);
      if (c.p.mode === 'version' && !version) continue;
      // Further down an article, another mention of a lab already found adds nothing but a version.
      if (region === 'body' && !version && labsFound.has(labId)) continue;
      // A version written after an ambiguous name makes it a model ("Gemini 3"); one the name carries ("o3") does not.
      if (c.p.mode === 'context' && !written && !(contextNear(c) || hasAlwaysNearby(c))) continue;
      const comparison = region !== 'body' && isComparison(folded, c.start);
      const seen = labsFound.get(labId);
      const about = region !== 'body' && !comparison;
      if (!seen)
        labsFound.set(labId, {
          about,
          first: about ? c.start : Number.POSITIVE_INFINITY,
          title: about && region === 'title',
        });
      else if (about) {
        seen.about = true;
        seen.first = Math.min(seen.first, c.start);
        seen.title ||= region === 'title';
      }
      if (c.p.familyId) families.add(c.p.familyId);
      else if (version) {
        const lab = labsById.get(labId);
        if (lab?.versionFamily) families.add(lab.versionFamily);
      }
      // Release identity matters where a report says what it is about; the body only adds tags.
      const q = region === 'body' ? null : readQualifiers(folded.slice(end, end + 60));
      if (q && (version || q.tiers.length + q.editions.length + q.sizes.length > 0 || c.p.familyId)) {
        const model: ModelName = {
          ns: c.p.line,
          version: version ? normalizeVersion(version) : null,
          tiers: [...c.p.tiers, ...q.tiers],
          editions: q.editions,
          sizes: q.sizes,
        };
        const key = modelKey(model);
        const prior = models.get(key);
        if (!prior) models.set(key, { labId, model, key, region, comparison });
        else if (prior.comparison && !comparison) prior.comparison = false;
      }
      if (version) {
        const tail = NAME_TAIL.exec(original.slice(end, end + 40))?.[1] ?? '';
        const name = original.slice(c.start, end) + tail;
        const key = `${c.p.namespace}@${version}`;
        if (!versions.has(key))
          versions.set(key, {
            labId,
            familyId: c.p.familyId ?? labsById.get(labId)?.versionFamily ?? null,
            name: name.trim(),
            key,
          });
      }
    }
    addBareVersions(folded, kept, leadEnd, regionOf, models);
    const origins = new Set<Origin>();
    const openness = new Set<Openness>();
    // Origin and openness describe what the report is about; labs it only mentions count when nothing is.
    const aboutIds = [...labsFound].filter(([, v]) => v.about).map(([id]) => id);
    for (const id of aboutIds.length > 0 ? aboutIds : labsFound.keys()) {
      const lab = labsById.get(id);
      if (!lab) continue;
      origins.add(originOf(lab.country));
      const own = lab.families.filter((f) => families.has(f.id));
      if (own.length === 0) openness.add(lab.openness);
      for (const f of own) openness.add(familyOpenness.get(f.id) ?? lab.openness);
    }
    // A lab or family that ships both kinds: the report often says which kind this release is.
    if (openness.has('mixed')) {
      const said = opennessEvidence(folded.slice(0, leadEnd));
      if (said) {
        openness.delete('mixed');
        openness.add(said);
      }
    }
    const entries = [...labsFound.entries()];
    const about = entries.filter(([, v]) => v.about).map(([id]) => id);
    const inTitle = entries.filter(([, v]) => v.title).map(([id]) => id);
    const firstAbout = entries.filter(([, v]) => v.about).sort((a, b) => a[1].first - b[1].first)[0]?.[0];
    return {
      labs: [...about, ...entries.filter(([, v]) => !v.about).map(([id]) => id)],
      about,
      mentions: entries.filter(([, v]) => !v.about).map(([id]) => id),
      principal: inTitle.length > 0 ? inTitle : firstAbout ? [firstAbout] : [],
      families: [...families],
      versions: [...versions.values()],
      models: [...models.values()],
      anchors: [...anchors],
      origins: [...origins],
      openness: [...openness],
    };
  }

  /**
   * A lettered version written on its own ("su modelo R1", "al que se refiere como V3.2-Exp", "R1 de
   * DeepSeek") belongs to the line of the lab named nearest before it in the same sentence of the title or
   * lead, or right after it.
   */
  function addBareVersions(
    folded: string,
    kept: Hit[],
    leadEnd: number,
    regionOf: (at: number) => Region,
    models: Map<string, ModelMention>,
  ): void {
    const head = folded.slice(0, leadEnd);
    for (const m of head.matchAll(BARE_VERSION)) {
      const at = (m.index ?? 0) + (m[0].length - (m[1] as string).length);
      if (kept.some((k) => at >= k.start && at < k.end + 24)) continue;
      const sentenceStart = Math.max(...[...SENTENCE_END].map((c) => head.lastIndexOf(c, at)));
      const labs = kept.filter((k) => k.p.labId && !k.p.familyId);
      // The lab named last before it in the sentence, else right after it ("R1 de DeepSeek").
      const owner =
        labs.filter((k) => k.start > sentenceStart && k.start < at).pop() ??
        labs.find((k) => k.start > at && k.start - at <= 24);
      const lab = owner ? labsById.get(owner.p.labId as string) : undefined;
      if (!owner || !lab?.versionFamily || isComparison(folded, at)) continue;
      const q = readQualifiers(folded.slice(at + (m[1] as string).length, at + 60));
      const model: ModelName = {
        ns: lab.versionFamily,
        version: normalizeVersion(m[1] as string),
        tiers: q.tiers,
        editions: q.editions,
        sizes: q.sizes,
      };
      const key = modelKey(model);
      if (!models.has(key)) models.set(key, { labId: lab.id, model, key, region: regionOf(at), comparison: false });
    }
  }

  return { match, lab: (id) => labsById.get(id) };
}

const BARE_VERSION = /(?:^|[^\p{L}\p{N}.])([vrkmx]\d{1,2}(?:\.\d{1,2})?)(?![\p{L}\p{N}]|\.\d)/gu;
const SENTENCE_END = ['.', '!', '?', '。', '！', '？', '\n'];
