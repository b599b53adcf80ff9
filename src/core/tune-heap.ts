import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, in percent, before it
 * collects again. V8 derives this from its heap limit, which it sizes from the machine's memory: with
 * a 4 GB limit it lets garbage reach four times the live set. This program's live set is small (about
 * 25 MB between slices of a poll, 50 MB inside one), but a poll allocates fast, so a 100k-item first
 * poll peaked near 370 MB resident; growing by half instead keeps it under 250 MB (`npm run bench
 * memory`) at the cost of more, short, collections. Unlike `--max-old-space-size` it caps nothing.
 */
export const HEAP_GROWING_PERCENT = 50;

/** Applies HEAP_GROWING_PERCENT to this process; the entry points call it first thing. */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
