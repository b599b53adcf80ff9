import cron from 'node-cron';
import type { Logger } from '../core/logger.js';

/** A job: a plain async function, called by cron and directly by tests. */
export interface ScheduledJob {
  name: string;
  /** A cron expression (node-cron syntax, seconds optional). */
  expression: string;
  run(): Promise<unknown>;
}

/**
 * Schedules jobs with node-cron, never overlapping a job with itself, catching and logging each
 * failure so one bad run never stops the schedule. Returns `stop()` for a graceful shutdown.
 */
export function startScheduler(jobs: ScheduledJob[], logger: Logger): { stop: () => Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.expression,
      async () => {
        const p = job
          .run()
          .catch((err: unknown) =>
            logger.error(`scheduler: ${job.name} failed`, { error: (err as Error)?.message ?? String(err) }),
          );
        running.add(p);
        try {
          await p;
        } finally {
          running.delete(p);
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      for (const t of tasks) await t.stop();
      await Promise.allSettled([...running]);
    },
  };
}
