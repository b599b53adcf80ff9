/**
 * Opens after `threshold` failures in a row and stays open for `coolDownMs` (or until the time a
 * server asked us to wait), so an outage costs one timeout per poll instead of one per story.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly threshold = 3,
    /** @unit milliseconds */
    private readonly coolDownMs = 5 * 60_000,
  ) {}

  isOpen(now: Date): boolean {
    return now.getTime() < this.openUntil;
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
  }

  /** Counts a failure; `waitMs` (a Retry-After) opens the circuit at once for that long. */
  failure(now: Date, waitMs?: number): void {
    this.failures++;
    if (waitMs !== undefined && waitMs > 0) this.openUntil = Math.max(this.openUntil, now.getTime() + waitMs);
    if (this.failures >= this.threshold) this.openUntil = Math.max(this.openUntil, now.getTime() + this.coolDownMs);
  }
}
