import type { ItemFeatures } from './item-features.js';
import type { Match } from './match-story.js';
import type { StoryProfile } from './story-profile.js';

const LABEL: Record<string, string> = { k: 'model', n: 'model line', l: 'lab', a: '', q: 'figure', t: 'ticker' };

/** One shared term as a reader would say it: "model deepseek@3.1", "lab openai", "softbank", "figure 50e10". */
function label(term: string): string {
  if (!term.includes(':')) return term;
  const [kind, ...rest] = term.split(':');
  const name = rest.join(':');
  if (kind === 'q') return name.replace(/^(\d+)e(\d+)$/, (_m, a: string, e: string) => `${a}×10^${e}`);
  return LABEL[kind ?? ''] ? `${LABEL[kind ?? '']} ${name}` : name;
}

/**
 * Why a report joined a story, in a line `stories --explain` prints: what tied them and the shared terms
 * that weighed most.
 */
export function describeMatch(f: ItemFeatures, p: StoryProfile, m: Match, idf: (t: string) => number): string {
  const shared = [...f.anchors.keys(), ...f.words.keys()]
    .filter((t) => p.anchors.has(t) || p.words.has(t))
    .sort((a, b) => idf(b) * (f.anchors.get(b) ?? 1) - idf(a) * (f.anchors.get(a) ?? 1))
    .slice(0, 6)
    .map(label);
  const why =
    m.tie === 'same'
      ? `same model ${m.model}`
      : m.tie === 'compatible'
        ? `related model ${m.model}`
        : 'similar names and wording';
  return `${why}; score ${m.score.toFixed(2)}${shared.length ? `; shared: ${shared.join(', ')}` : ''}`;
}
