/**
 * The process environment, after loading `.env` from the working directory when one exists.
 * Variables already set win over the file. The only place that touches `process.env`.
 */
export function readEnvironment(path = '.env'): Record<string, string | undefined> {
  try {
    process.loadEnvFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { ...process.env };
}
