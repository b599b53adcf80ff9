import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAck } from './bench-ack.js';
import { benchCharts } from './bench-charts.js';
import { benchEngines } from './bench-engines.js';
import { benchEntities } from './bench-entities.js';
import { benchIngest, benchPollCycle } from './bench-ingest.js';
import { benchMemory, benchStartup } from './bench-memory.js';
import { benchPollAck, benchPollScale } from './bench-poll-load.js';
import { benchSearch } from './bench-search.js';
import { benchSummarize } from './bench-summarize.js';

/** `npm run bench [name…]`: prints figures measured in this run; everything is served from loopback. */
const BENCHES: Record<string, (dir: string) => Promise<Record<string, number>>> = {
  ingest: benchIngest,
  'poll-cycle': (dir) => benchPollCycle(dir),
  summarize: benchSummarize,
  entities: benchEntities,
  ack: benchAck,
  'poll-ack': benchPollAck,
  'poll-scale': benchPollScale,
  search: benchSearch,
  memory: benchMemory,
  startup: benchStartup,
  charts: benchCharts,
  engines: benchEngines,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const dir = mkdtempSync(join(tmpdir(), 'ai-news-bench-'));
try {
  for (const [name, run] of Object.entries(BENCHES)) {
    if (wanted.length && !wanted.includes(name)) continue;
    const figures = await run(dir);
    const shown = Object.entries(figures).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`);
    console.log(`${name.padEnd(14)} ${shown.join('  ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
