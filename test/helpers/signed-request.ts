import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/** Sends a request to the app exactly as Slack signs it (v0 HMAC-SHA256 over timestamp and body). */
export async function signedPost(
  url: string,
  body: string,
  contentType: string,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex')}`;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** A slash command as Slack sends it. */
export function commandBody(
  text: string,
  o: { user?: string; channel?: string; team?: string; responseUrl: string },
): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: o.team ?? 'T1',
    team_domain: 'test',
    channel_id: o.channel ?? 'C1',
    channel_name: 'general',
    user_id: o.user ?? 'U1',
    user_name: 'someone',
    command: '/ai-news',
    text,
    api_app_id: 'A1',
    response_url: o.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** An Events API callback. */
export function eventBody(event: Record<string, unknown>, team = 'T1'): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: team,
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: 1,
    event,
  });
}

/** An interactivity payload (block actions, view submissions). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
