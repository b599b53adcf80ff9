/**
 * One watch step in its own process, so the fault suite can kill it with SIGKILL at chosen moments and
 * run two at once. Usage: watch-worker <database> <slack api url> <now ISO>; the database is a SQLite
 * file or a postgres:// URL.
 */
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';
import { runWatches } from '../../src/watch/run-watches.js';

const [database, apiUrl, now] = process.argv.slice(2) as [string, string, string];
const store = database.startsWith('postgres') ? { DATABASE_URL: database } : { DATABASE_PATH: database };
const services = await buildServices(loadConfig(store), {
  logger: silentLogger,
  clock: { now: () => new Date(now) },
});
const report = await runWatches(services, createSlackSink(createWebClient('xoxb-worker', apiUrl)), {
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
await services.close();
