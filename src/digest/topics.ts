import type { Tag } from '../store/entity-repository.js';

/** One term of a channel's topic filter. */
export interface TopicTerm {
  exclude: boolean;
  kind: 'lab' | 'origin' | 'openness' | 'keyword';
  value: string;
}

const OPEN = ['open-weight', 'open-source', 'mixed'];

/**
 * Parses topic words: `lab:deepseek`, `origin:CN`, `openness:open-weight` (or `open`, `closed`), a bare
 * word (a keyword, or a lab name the catalog knows), and `-` before any of them to exclude.
 */
export function parseTopics(text: string, labOf: (word: string) => string | undefined = () => undefined): TopicTerm[] {
  const terms: TopicTerm[] = [];
  for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
    const exclude = raw.startsWith('-') || raw.startsWith('!');
    const word = exclude ? raw.slice(1) : raw;
    const [k, v] = word.includes(':') ? (word.split(':', 2) as [string, string]) : [undefined, word];
    const key = k?.toLowerCase();
    if (!v) continue;
    if (key === 'lab') terms.push({ exclude, kind: 'lab', value: labOf(v) ?? v.toLowerCase() });
    else if (key === 'origin')
      terms.push({ exclude, kind: 'origin', value: v.toUpperCase() === 'OTHER' ? 'other' : v.toUpperCase() });
    else if (key === 'openness' || v.toLowerCase() === 'open' || v.toLowerCase() === 'closed')
      terms.push({ exclude, kind: 'openness', value: v.toLowerCase() });
    else if (labOf(v)) terms.push({ exclude, kind: 'lab', value: labOf(v) as string });
    else terms.push({ exclude, kind: 'keyword', value: v.toLowerCase() });
  }
  return terms;
}

function matchesTerm(t: TopicTerm, tags: Tag[], text: string): boolean {
  switch (t.kind) {
    case 'lab':
      return tags.some((x) => x.kind === 'lab' && x.key === t.value);
    case 'origin':
      return tags.some((x) => x.kind === 'origin' && x.key === t.value);
    case 'openness':
      if (t.value === 'open') return tags.some((x) => x.kind === 'openness' && OPEN.includes(x.key));
      return tags.some((x) => x.kind === 'openness' && x.key === t.value);
    default:
      return text.toLowerCase().includes(t.value);
  }
}

/** True when a story passes the filter: some include term matches (if any) and no exclude term does. */
export function passesTopics(terms: TopicTerm[], tags: Tag[], text: string): boolean {
  const includes = terms.filter((t) => !t.exclude);
  if (includes.length > 0 && !includes.some((t) => matchesTerm(t, tags, text))) return false;
  return !terms.some((t) => t.exclude && matchesTerm(t, tags, text));
}
