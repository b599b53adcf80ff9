/**
 * The inverted index of one clustering batch: which stories hold which terms, and how rare each term
 * is among the batch's reports and the stories it loaded. Finding an item's candidates counts, for
 * every story, how many of the item's terms it shares; on real feeds that is thousands of stories per
 * item, so counts live in a flat array indexed by a slot per story rather than in a map per item.
 */
export class CandidateIndex {
  private readonly postings = new Map<string, Set<number>>();
  private readonly df = new Map<string, number>();
  private readonly idfs = new Map<string, number>();
  private weigh: ((t: string) => number) | undefined;
  private docs = 0;
  /** Each story's slot, in the order stories were first indexed, and the story in each slot. */
  private readonly slotOf = new Map<number, number>();
  private readonly idOf: number[] = [];
  private shared = new Int32Array(1024);

  /** Counts one document's terms toward their document frequency (each term once per call). */
  count(terms: Iterable<string>): void {
    this.docs++;
    this.idfs.clear();
    this.weigh = undefined;
    for (const t of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  /** Records that story `id` holds `terms`. */
  index(id: number, terms: Iterable<string>): void {
    const slot = this.slot(id);
    for (const t of terms) this.post(t, slot);
  }

  /**
   * A stored story loaded as a candidate: counted as a document and indexed under its terms, in one
   * pass over each group (`count` then `index` with the groups' terms in order give the same index).
   */
  countAndIndex(id: number, groups: Iterable<string>[]): void {
    this.docs++;
    this.idfs.clear();
    this.weigh = undefined;
    const slot = this.slot(id);
    for (const terms of groups)
      for (const t of terms) {
        this.df.set(t, (this.df.get(t) ?? 0) + 1);
        this.post(t, slot);
      }
  }

  private slot(id: number): number {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.idOf.length;
      this.slotOf.set(id, slot);
      this.idOf.push(id);
    }
    return slot;
  }

  private post(t: string, slot: number): void {
    const set = this.postings.get(t);
    if (set) set.add(slot);
    else this.postings.set(t, new Set([slot]));
  }

  /**
   * Smoothed IDF: rare terms (names, versions) weigh most; terms in every document weigh little.
   * Remembered per term until the next `count`, since scoring asks for the same terms thousands of times.
   */
  get idf(): (t: string) => number {
    // A new function after every count, so what was remembered under the old weighting is not reused.
    this.weigh ??= (t) => {
      let w = this.idfs.get(t);
      if (w === undefined) {
        w = Math.log(1 + (this.docs + 1) / ((this.df.get(t) ?? 0) + 1));
        this.idfs.set(t, w);
      }
      return w;
    };
    return this.weigh;
  }

  /** Terms in more than a fifth of a big batch say nothing about which story an item belongs to. */
  common(t: string): boolean {
    return this.docs >= 50 && (this.df.get(t) ?? 0) > this.docs * 0.2;
  }

  /**
   * The `limit` stories sharing most of `terms` (common terms left out), most shared first and, among
   * stories sharing as many, the one met first (in term order, then in the order stories were indexed
   * under the term) first. A story id indexed once stays indexed: the caller skips ids it dropped.
   */
  sharing(terms: Iterable<string>, limit: number): number[] {
    if (this.shared.length < this.idOf.length)
      this.shared = new Int32Array(Math.max(this.idOf.length, 2 * this.shared.length));
    const shared = this.shared;
    const met: number[] = [];
    let most = 0;
    for (const t of terms) {
      const slots = this.postings.get(t);
      if (!slots || this.common(t)) continue;
      for (const slot of slots) {
        const n = (shared[slot] as number) + 1;
        shared[slot] = n;
        if (n === 1) met.push(slot);
        if (n > most) most = n;
      }
    }
    // Stable selection by count: one bucket per count, each in the order its stories were met.
    const buckets: number[][] = Array.from({ length: most + 1 }, () => []);
    for (const slot of met) (buckets[shared[slot] as number] as number[]).push(slot);
    const out: number[] = [];
    for (let n = most; n > 0 && out.length < limit; n--)
      for (const slot of buckets[n] as number[]) {
        if (out.length === limit) break;
        out.push(this.idOf[slot] as number);
      }
    for (const slot of met) shared[slot] = 0;
    return out;
  }
}
