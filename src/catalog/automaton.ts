/**
 * An Aho-Corasick automaton: every alias found in one left-to-right pass. ASCII transitions are a full
 * table (no failure-link walking on the hot path); other characters use per-node maps.
 */
export class Automaton {
  private readonly ascii: Int32Array;
  private readonly other: Map<number, number>[];
  private readonly fail: Int32Array;
  private readonly out: number[][];
  /** 1 where a node ends at least one word: most characters end none, and a byte is cheaper to test. */
  private readonly ends: Uint8Array;

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
    this.ends = Uint8Array.from(this.out, (o) => (o.length > 0 ? 1 : 0));
  }

  /** Calls `hit(patternIndex, endExclusive)` for every occurrence. */
  scan(text: string, hit: (pattern: number, end: number) => void): void {
    let node = 0;
    const ascii = this.ascii;
    const ends = this.ends;
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
      if (ends[node] === 1) for (const p of this.out[node] as number[]) hit(p, i + 1);
    }
  }
}
