import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScore } from '../../eval/format-score.js';
import { HELD_OUT, loadRealNewsSet } from '../../eval/real-news-set.js';
import { runRealNews } from '../../eval/run-real-news.js';
import { scoreRealNews } from '../../eval/score-real-news.js';

/**
 * The real-news evaluation (`npm run eval`) inside the suite, so CI prints its figures on every run. It
 * fails only if the pipeline cannot process the set (a crash, a report lost); scores are reported, not
 * asserted: they are tuned and judged by people, on real text, not gated by a threshold here.
 */
const set = loadRealNewsSet();

describe.runIf(set)('real-news evaluation (../shared/eval/real-news-dev.json)', () => {
  it('clusters and tags every report of the development set and prints the figures', async () => {
    if (!set) return;
    const dir = mkdtempSync(join(tmpdir(), 'ai-news-eval-'));
    try {
      const run = await runRealNews(set, dir);
      const reports = set.events.reduce((n, e) => n + e.items.length, 0);
      expect(run.storyOf.size).toBe(reports);
      console.log(formatScore('real news, whole set', scoreRealNews(set, run)));
      console.log(
        formatScore(
          'real news, held-out events',
          scoreRealNews(set, run, (id) => HELD_OUT.has(id)),
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
