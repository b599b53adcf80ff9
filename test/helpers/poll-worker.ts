/**
 * One ingest cycle in its own process with an injected claim lease, so the concurrency tests can kill
 * it while it holds a feed. Usage: poll-worker <database> <lease ms>, the database a SQLite file or a
 * postgres:// URL. Prints the poll report as JSON.
 */
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { OFFLINE_SOURCES } from './test-services.js';

const [database, leaseMs] = process.argv.slice(2) as [string, string];
const services = await buildServices(
  loadConfig({
    ...(database.startsWith('postgres') ? { DATABASE_URL: database } : { DATABASE_PATH: database }),
    ALLOW_PRIVATE_FEED_URLS: 'true',
    ...OFFLINE_SOURCES,
  }),
  {
    logger: silentLogger,
    leaseMs: Number(leaseMs),
  },
);
const report = await runIngest(services);
process.stdout.write(`${JSON.stringify({ ...report, owner: services.claims.owner })}\n`);
await services.close();
