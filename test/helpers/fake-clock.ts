import type { Clock } from '../../src/core/clock.js';

/** A clock that moves only when told. */
export function fakeClock(
  start: string | Date = '2026-11-20T08:00:00Z',
): Clock & { advance(ms: number): void; set(d: string | Date): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = new Date(d).getTime();
    },
  };
}
