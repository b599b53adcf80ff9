/**
 * Lets the event loop run what is waiting (an HTTP request, a Slack ack, a timer) before continuing a
 * long piece of work; call it between bounded slices of that work.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
