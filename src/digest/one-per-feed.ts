/**
 * A story's sources as a reader counts them: one per feed (its earliest report first, as given), so a
 * feed that carried the story twenty times is one source, not "21 sources: Rot2, Rot2, …".
 */
export function onePerFeed<T extends { feedId: number }>(sources: T[]): T[] {
  const seen = new Set<number>();
  const out: T[] = [];
  for (const x of sources) {
    if (seen.has(x.feedId)) continue;
    seen.add(x.feedId);
    out.push(x);
  }
  return out;
}
