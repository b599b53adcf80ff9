import { CJK, foldForMatch, isLetter, isWordChar } from './fold.js';
import { LABS } from './labs.js';
import type { LabEntry, Openness, Origin } from './types.js';

type Mode = 'always' | 'context' | 'version';

interface Pattern {
  text: string;
  labId: string;
  familyId: string | null;
  mode: Mode;
  /** Namespace for version keys: two versions conflict only within one namespace. */
  namespace: string;
  /** A version the alias itself carries ("KM K2" → k2). */
  impliedVersion: string | null;
  latin: boolean;
}

/** A model version found in text. */
export interface VersionMatch {
  labId: string;
  familyId: string | null;
  /** As written, e.g. "Qwen3.5-397B". */
  name: string;
  /** For clustering: `namespace@version`, e.g. `qwen@3.5`. */
  key: string;
}

/** Everything the catalog recognised in a text. */
export interface Entities {
  labs: string[];
  families: string[];
  versions: VersionMatch[];
  origins: Origin[];
  openness: Openness[];
}

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

// Words that make an ambiguous name ("Gemini", "Llama", "Mistral") mean the model, in the languages we read.
const AI_CONTEXT =
  /(^|[^\p{L}\p{N}])(models?|llms?|ai|a\.i\.|chatbots?|open weights?|weights|parameters|benchmarks?|reasoning|inference|tokens?|api|agents?|agentic|multimodal|gpus?|fine tun\w*|open source|chatgpt|modelos?|inteligencia artificial|ia|pesos|parametros|razonamiento|modele|modeles|intelligence artificielle|ki|sprachmodell\w*)(?=$|[^\p{L}\p{N}])|模型|人工智能|开源|智能体|推理|大模型|ＡＩ/u;
const CONTEXT_WINDOW = 90;
// A version right after a name: "3.5", "v4", "K2.6", "M2.5", "R1", "X1", "4o", "3n".
// A trailing b, k or m is a size ("20b", "128k"), not a version letter.
const VERSION_AFTER = /^ ?((?:[vrkmx] ?)?\d{1,2}(?:\.\d{1,2})?[ac-jln-z]?)(?![a-z0-9]|\.\d)/u;
const VERSION_CONTINUES = /^(\.\d{1,2})/;
// A lettered version a word or two after the name: "DeepSeek's new V4", "DeepSeek lanza V4".
const VERSION_NEARBY = /^(?:['’]s)?(?: [\p{L}]{1,12}){1,2} ([vkmx]\d{1,2}(?:\.\d{1,2})?)(?![a-z0-9]|\.\d)/u;
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
    const implied = /^(.*\S) ((?:[vrkmx])?\d{1,2}(?:\.\d{1,2})?)$/.exec(folded);
    // "Claude Opus 4.7" and "Claude Sonnet 4.5" are different lines: a tier word gives its own namespace.
    const tiered = !implied && TIER.test(folded);
    const namespace = familyId === null ? (lab.versionFamily ?? lab.id) : tiered ? folded.replace(/ /g, '-') : familyId;
    patterns.push({
      text: folded,
      labId: lab.id,
      familyId,
      mode,
      namespace,
      impliedVersion: implied ? (implied[2] as string).replace(/ /g, '') : null,
      latin: /[a-z]/.test(folded),
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
  return patterns;
}

/**
 * An Aho-Corasick automaton: every alias found in one left-to-right pass. ASCII transitions are a full
 * table (no failure-link walking on the hot path); other characters use per-node maps.
 */
class Automaton {
  private readonly ascii: Int32Array;
  private readonly other: Map<number, number>[];
  private readonly fail: Int32Array;
  private readonly out: number[][];

  constructor(words: string[]) {
    const next: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    words.forEach((w, idx) => {
      let node = 0;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        let n = next[node]?.get(c);
        if (n === undefined) {
          n = next.length;
          next.push(new Map());
          out.push([]);
          next[node]?.set(c, n);
        }
        node = n;
      }
      out[node]?.push(idx);
    });
    const size = next.length;
    this.fail = new Int32Array(size);
    this.ascii = new Int32Array(size * 128);
    this.other = next.map(() => new Map());
    this.out = out;
    // Breadth-first, so a node's failure target is complete before the node is.
    const order: number[] = [0];
    for (let q = 0; q < order.length; q++) {
      const node = order[q] as number;
      for (let c = 0; c < 128; c++) {
        const child = next[node]?.get(c);
        if (child !== undefined) {
          this.fail[child] = node === 0 ? 0 : (this.ascii[(this.fail[node] as number) * 128 + c] as number);
          this.ascii[node * 128 + c] = child;
          order.push(child);
        } else
          this.ascii[node * 128 + c] = node === 0 ? 0 : (this.ascii[(this.fail[node] as number) * 128 + c] as number);
      }
      for (const [c, child] of next[node] ?? []) {
        if (c < 128) continue;
        let f = node === 0 ? -1 : (this.fail[node] as number);
        while (f > 0 && !next[f]?.has(c)) f = this.fail[f] as number;
        const target = f >= 0 ? next[f]?.get(c) : undefined;
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.other[node]?.set(c, child);
        order.push(child);
      }
      if (node !== 0) {
        const inherited = this.out[this.fail[node] as number];
        if (inherited && inherited.length > 0) this.out[node] = [...(this.out[node] ?? []), ...inherited];
      }
    }
  }

  /** Calls `hit(patternIndex, endExclusive)` for every occurrence. */
  scan(text: string, hit: (pattern: number, end: number) => void): void {
    let node = 0;
    const ascii = this.ascii;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) node = ascii[node * 128 + c] as number;
      else {
        let n = this.other[node]?.get(c);
        while (n === undefined && node !== 0) {
          node = this.fail[node] as number;
          n = this.other[node]?.get(c);
        }
        node = n ?? 0;
      }
      const found = this.out[node];
      if (found !== undefined && found.length > 0) for (const p of found) hit(p, i + 1);
    }
  }
}

/** The catalog matcher: labs, families, versions, origins and openness in a title and text. */
export interface EntityMatcher {
  match(title: string, text?: string): Entities;
  lab(id: string): LabEntry | undefined;
}

/** Builds the matcher once (the automaton over every alias); matching is then one pass per text. */
export function createEntityMatcher(labs: LabEntry[] = LABS): EntityMatcher {
  const patterns = buildPatterns(labs);
  const automaton = new Automaton(patterns.map((p) => p.text));
  const labsById = new Map(labs.map((l) => [l.id, l]));
  const familyOpenness = new Map(labs.flatMap((l) => l.families.map((f) => [f.id, f.openness] as const)));

  function match(title: string, text = ''): Entities {
    const original = text ? `${title}\n${text.slice(0, 600)}` : title;
    const folded = foldForMatch(original);
    const candidates: { p: Pattern; start: number; end: number }[] = [];
    automaton.scan(folded, (idx, end) => {
      const p = patterns[idx] as Pattern;
      const start = end - p.text.length;
      if (p.latin) {
        if (isWordChar(folded[start - 1]) && !CJK.test(folded[start - 1] ?? '')) return;
        if (isLetter(folded[end]) && !CJK.test(folded[end] ?? '')) return;
      }
      candidates.push({ p, start, end });
    });
    // Keep the longest match where names overlap ("Mistral AI" over "Mistral", "Claude Opus" over "Claude").
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: typeof candidates = [];
    for (const c of candidates) {
      const last = kept[kept.length - 1];
      if (last && c.start < last.end) continue;
      kept.push(c);
    }
    const labsFound = new Set<string>();
    const families = new Set<string>();
    const versions = new Map<string, VersionMatch>();
    let contextChecked: boolean | undefined;
    const hasAlwaysNearby = (c: (typeof kept)[number]) =>
      kept.some((k) => k !== c && k.p.mode === 'always' && Math.abs(k.start - c.start) <= CONTEXT_WINDOW);
    for (const c of kept) {
      let version: string | null = c.p.impliedVersion;
      let end = c.end;
      const after = folded.slice(end, end + 24);
      if (version) {
        const more = VERSION_CONTINUES.exec(after);
        if (more) {
          version += more[1];
          end += (more[1] as string).length;
        }
      } else {
        const v = VERSION_AFTER.exec(after);
        const near = v || c.p.mode !== 'always' ? null : VERSION_NEARBY.exec(folded.slice(end, end + 40));
        if (v) {
          version = (v[1] as string).replace(/ /g, '');
          end += (v[0] as string).length;
        } else if (near) {
          version = near[1] as string;
          end += (near[0] as string).length;
        }
      }
      if (c.p.mode === 'version' && !version) continue;
      if (c.p.mode === 'context' && !version) {
        const window = folded.slice(Math.max(0, c.start - CONTEXT_WINDOW), c.end + CONTEXT_WINDOW);
        if (!(AI_CONTEXT.test(window) || hasAlwaysNearby(c))) {
          contextChecked = contextChecked ?? false;
          continue;
        }
      }
      labsFound.add(c.p.labId);
      if (c.p.familyId) families.add(c.p.familyId);
      else if (version) {
        const lab = labsById.get(c.p.labId);
        if (lab?.versionFamily) families.add(lab.versionFamily);
      }
      if (version) {
        const tail = NAME_TAIL.exec(original.slice(end, end + 40))?.[1] ?? '';
        const name = original.slice(c.start, end) + tail;
        const key = `${c.p.namespace}@${version}`;
        if (!versions.has(key))
          versions.set(key, {
            labId: c.p.labId,
            familyId: c.p.familyId ?? labsById.get(c.p.labId)?.versionFamily ?? null,
            name: name.trim(),
            key,
          });
      }
    }
    const origins = new Set<Origin>();
    const openness = new Set<Openness>();
    for (const id of labsFound) {
      const lab = labsById.get(id);
      if (!lab) continue;
      origins.add(originOf(lab.country));
      const own = lab.families.filter((f) => families.has(f.id));
      if (own.length === 0) openness.add(lab.openness);
      for (const f of own) openness.add(familyOpenness.get(f.id) ?? lab.openness);
    }
    // A lab or family that ships both kinds: the report often says which kind this release is.
    if (openness.has('mixed')) {
      const said = opennessEvidence(folded);
      if (said) {
        openness.delete('mixed');
        openness.add(said);
      }
    }
    return {
      labs: [...labsFound],
      families: [...families],
      versions: [...versions.values()],
      origins: [...origins],
      openness: [...openness],
    };
  }

  return { match, lab: (id) => labsById.get(id) };
}
