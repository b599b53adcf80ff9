import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatScore } from './format-score.js';
import { HELD_OUT, loadRealNewsSet, subset } from './real-news-set.js';
import { runRealNews } from './run-real-news.js';
import { scoreRealNews } from './score-real-news.js';

/**
 * `npm run eval`: the real-news development set through the real pipeline, offline, scored as its
 * README says — on the whole set, on the events used for tuning, and on the events kept aside.
 * `--explain` also lists every report that landed apart from its event or beside another event's.
 */
const set = loadRealNewsSet();
if (!set) {
  console.log('eval: ../shared/eval/real-news-dev.json not found beside the repository; nothing to evaluate.');
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'ai-news-eval-'));
try {
  const started = Date.now();
  const whole = await runRealNews(set, dir);
  console.log(formatScore('whole set', scoreRealNews(set, whole)));
  const tuned = (id: string) => !HELD_OUT.has(id);
  console.log(formatScore('tuning events (within the whole run)', scoreRealNews(set, whole, tuned)));
  const held = (id: string) => HELD_OUT.has(id);
  console.log(formatScore('held-out events (within the whole run)', scoreRealNews(set, whole, held)));
  const heldOut = subset(set, held);
  const alone = await runRealNews(heldOut, join(dir, 'held-out'));
  console.log(formatScore('held-out events (run alone)', scoreRealNews(heldOut, alone)));
  if (process.argv.includes('--explain')) {
    const eventOf = new Map(set.events.flatMap((e) => e.items.map((it) => [it.url, e.id] as const)));
    const byStory = new Map<number, string[]>();
    for (const p of whole.placements) byStory.set(p.storyId, [...(byStory.get(p.storyId) ?? []), p.url]);
    // Held-out events are never explained: looking at why they failed would make them tuning data.
    for (const e of set.events.filter((x) => !HELD_OUT.has(x.id))) {
      const stories = [...new Set(e.items.map((it) => whole.storyOf.get(it.url)))];
      const mixed = stories.some((s) => (byStory.get(s ?? -1) ?? []).some((u) => eventOf.get(u) !== e.id));
      if (stories.length === 1 && !mixed) continue;
      console.log(`${e.id} ${e.label.slice(0, 80)}`);
      for (const it of e.items) {
        const story = whole.storyOf.get(it.url) ?? -1;
        const others = (byStory.get(story) ?? []).map((u) => eventOf.get(u)).filter((x) => x !== e.id);
        const placed = whole.placements.find((p) => p.url === it.url);
        const why = placed?.detail ? `${placed.reason}: ${placed.detail}` : placed?.reason;
        console.log(
          `   story ${story} (${why}) ${others.length ? `with ${[...new Set(others)].join(',')} ` : ''}${it.lang} ${it.published.slice(0, 10)} ${it.title.slice(0, 70)}`,
        );
      }
    }
  }
  console.log(
    `eval: ${whole.polls} daily polls, ${whole.merges} story merges, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
