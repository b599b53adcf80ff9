// Run by `npm run bench memory` in its own process, on the compiled code (dist/), as production runs:
// one ingest cycle over the given loopback feeds, then this process's peak resident memory.
// Usage: node bench/memory-child.mjs <database> <base url> <feeds>
import { buildServices } from '../dist/compose.js';
import { loadConfig } from '../dist/config/load-config.js';
import { silentLogger } from '../dist/core/logger.js';
import { tuneHeap } from '../dist/core/tune-heap.js';
import { runIngest } from '../dist/ingest/run-ingest.js';

const [database, base, count] = process.argv.slice(2);
tuneHeap(); // as the entry points (dist/main.js, dist/cli/index.js) do
const baseline = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
const s = await buildServices(
  loadConfig({
    DATABASE_PATH: database,
    ALLOW_PRIVATE_FEED_URLS: 'true',
    FEED_TIMEOUT_MS: '120000',
    // Everything on loopback: the built-in OpenRouter sources stay off.
    OPENROUTER_MODELS_URL: 'off',
    OPENROUTER_RANKINGS_URL: 'off',
  }),
  { logger: silentLogger },
);
const startupMs = performance.now() - started;
await s.sql.write(async () => {
  for (let i = 0; i < Number(count); i++) await s.feeds.add({ url: `${base}/${i}` }, s.clock.now());
});
const t = performance.now();
const r = await runIngest(s, { all: true });
const ingestMs = performance.now() - t;
const stories = await s.stories.count();
await s.close();
process.stdout.write(
  `${JSON.stringify({ items: r.newItems, stories, ingestMs, startupMs, baselineRssMB: baseline, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000 })}\n`,
);
