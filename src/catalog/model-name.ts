/**
 * A model as a report names it, split into the parts that decide whether two reports are about the same
 * release: the line (`ns`), the version, tiers (sizes of one release: Pro, Mini, Sonnet…), editions
 * (what makes a separate release of one version: Preview, Exp, a date stamp, Next…) and parameter sizes.
 * "DeepSeek R1 Lite Preview", "DeepSeek-R1-Lite-Preview" and "DeepSeek‑R1 Lite 预览版" are one name;
 * "R1-0528" and "R1-Lite-Preview" are two.
 */
export interface ModelName {
  /** The model line, e.g. `deepseek`, `qwen`, `claude`, `o-series`, `qwq`. */
  ns: string;
  /** e.g. `r1`, `3.1`, `k2.5`; null when the report names the line without a version ("QwQ-32B"). */
  version: string | null;
  tiers: string[];
  editions: string[];
  sizes: string[];
}

// Tier words name members of one release (they ship together), so two tiers never conflict.
const TIERS = new Set(
  'pro max plus flash mini nano micro lite turbo ultra air small medium large opus sonnet haiku scout maverick coder thinking reasoner omni vl vision audio image fast deep-think instant codex oss'.split(
    ' ',
  ),
);
// Editions make a separate release of the same version: a preview and the final model are two events.
const EDITIONS = new Set('preview exp beta alpha next speciale terminus'.split(' '));
// Words in names that say nothing about which release it is.
const IGNORED = new Set('instruct chat base it hf fp8 int4 gguf awq model series'.split(' '));
const SYNONYMS: Record<string, string> = {
  experimental: 'exp',
  预览版: 'preview',
  預覽版: 'preview',
  预览: 'preview',
  實驗版: 'exp',
  实验版: 'exp',
  实验性: 'exp',
  思考版: 'thinking',
  think: 'thinking',
  deep: 'deep',
};
const CJK_WORD = /^ ?(预览版|預覽版|预览|实验版|實驗版|实验性|思考版|正式版|满血版|滿血版)/u;
const SIZE = /^(?:\d{1,4}(?:\.\d{1,2})?[bmt]|a\d{1,3}(?:\.\d)?b|e\d{1,2}b|\d{1,4}x\d{1,3}b)$/;
const DATE = /^(?:\d{4}|\d{6}|\d{8})$/;

/** A version as written right after a name: "3.5", "v4", "K2.6", "M2.5", "R1", "X1", "4o", "3n", "o3". */
export const VERSION_AFTER = /^ ?((?:[vrkmx] ?)?\d{1,2}(?:\.\d{1,2})?[ac-jln-z]?)(?![a-z0-9]|\.\d)/u;

/** "3.0" and "3" are one version, "V3.1" and "3.1" too. */
export function normalizeVersion(v: string): string {
  return v
    .replace(/ /g, '')
    .replace(/^v(?=\d)/, '')
    .replace(/\.0$/, '');
}

/**
 * Reads the words after a version (or after a versionless name) that belong to the model's name,
 * from folded text (lower case, separators as spaces). Returns the parts and how many characters they
 * took; stops at the first word that is not part of a model name.
 */
export function readQualifiers(after: string): {
  tiers: string[];
  editions: string[];
  sizes: string[];
  length: number;
} {
  const tiers: string[] = [];
  const editions: string[] = [];
  const sizes: string[] = [];
  let used = 0;
  for (let n = 0; n < 6; n++) {
    const rest = after.slice(used);
    const cjk = CJK_WORD.exec(rest);
    if (cjk) {
      const w = SYNONYMS[cjk[1] as string];
      if (w === 'preview' || w === 'exp') editions.push(w);
      else if (w) tiers.push(w);
      used += cjk[0].length;
      continue;
    }
    const m = /^[ (]?([a-z0-9][a-z0-9.]{0,11})\)?(?![\p{L}\p{N}])/u.exec(rest);
    if (!m) break;
    const raw = (m[1] as string).replace(/\.$/, '');
    const word = SYNONYMS[raw] ?? raw;
    if (word === 'deep' && /^ think/.test(rest.slice(m[0].length))) {
      tiers.push('deep-think');
      used += m[0].length + 6;
      continue;
    }
    if (TIERS.has(word)) tiers.push(word);
    else if (EDITIONS.has(word) || DATE.test(word)) editions.push(word);
    else if (SIZE.test(word)) sizes.push(word);
    else if (!IGNORED.has(word)) break;
    used += m[0].length;
  }
  return { tiers, editions, sizes, length: used };
}

const sorted = (xs: string[]) => [...new Set(xs)].sort();

/** The name as one string, for storage and display of keys: `qwen@3+max~preview`. */
export function modelKey(m: ModelName): string {
  const tiers = sorted(m.tiers);
  const editions = sorted(m.editions);
  return `${m.ns}@${m.version ?? '*'}${tiers.map((t) => `+${t}`).join('')}${editions.map((e) => `~${e}`).join('')}`;
}

/** Parses `modelKey` output back (sizes are not part of a key). */
export function parseModelKey(key: string): ModelName {
  const [ns, rest = '*'] = key.split('@') as [string, string?];
  const parts = rest.split(/(?=[+~])/);
  const head = parts.shift() ?? '*';
  return {
    ns,
    version: head === '*' ? null : head,
    tiers: parts.filter((p) => p.startsWith('+')).map((p) => p.slice(1)),
    editions: parts.filter((p) => p.startsWith('~')).map((p) => p.slice(1)),
    sizes: [],
  };
}

export type Relation = 'same' | 'compatible' | 'conflict' | 'unrelated';

function subsetOf(a: string[], b: string[]): boolean {
  return a.every((x) => b.includes(x));
}

/**
 * How two names relate: `same` release (one line, version, tiers and edition), `compatible` (one is
 * less specific — "R1" and "R1-0528", "Gemini 3" and "Gemini 3 Pro" — or they are tiers of one release),
 * `conflict` (other version or other edition of the line: "V3.1" vs "V3.2", "R1-0528" vs
 * "R1-Lite-Preview"), or `unrelated` (other lines).
 */
export function relateModels(a: ModelName, b: ModelName): Relation {
  if (a.ns !== b.ns) return 'unrelated';
  if (a.version !== null && b.version !== null && a.version !== b.version) return 'conflict';
  const ea = sorted(a.editions);
  const eb = sorted(b.editions);
  if (!subsetOf(ea, eb) && !subsetOf(eb, ea)) return 'conflict';
  if (a.version !== b.version) return 'compatible';
  if (ea.join() !== eb.join()) return 'compatible';
  return sorted(a.tiers).join() === sorted(b.tiers).join() ? 'same' : 'compatible';
}
