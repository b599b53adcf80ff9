/**
 * One scheduler tick of digest delivery, in its own process, so the crash test can kill it with
 * SIGKILL at chosen moments. Usage: digest-worker <database> <slack api url> <now ISO>; the database is
 * a SQLite file or a postgres:// URL.
 */
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { createSlackSink, createWebClient } from '../../src/slack/slack-sink.js';

const [database, apiUrl, now] = process.argv.slice(2) as [string, string, string];
const store = database.startsWith('postgres') ? { DATABASE_URL: database } : { DATABASE_PATH: database };
const services = await buildServices(loadConfig(store), {
  logger: silentLogger,
  clock: { now: () => new Date(now) },
});
// A hung post is given up after 5 s rather than the product's 15 s: the crash test waits for it to happen.
const results = await runDueDigests(services, createSlackSink(createWebClient('xoxb-worker', apiUrl, 5_000)), {
  paceMs: 50,
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
});
process.stdout.write(`${JSON.stringify(results)}\n`);
await services.close();
