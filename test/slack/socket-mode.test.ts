import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { testServices } from '../helpers/test-services.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Slack app in Socket Mode', () => {
  it('connects through apps.connections.open and answers a slash command envelope with an ack', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const wsPort = (wss.address() as AddressInfo).port;
    const slack = await startFakeSlack({ socketUrl: `ws://127.0.0.1:${wsPort}/` });
    cleanups.push(() => slack.close());
    const t = await testServices();
    cleanups.push(() => t.close());
    const acked = new Promise<Record<string, unknown>>((resolve) => {
      wss.on('connection', (socket) => {
        socket.on('message', (data) => {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
          if (msg.envelope_id === 'env-1') resolve(msg.payload ?? {});
        });
        socket.send(
          JSON.stringify({
            type: 'hello',
            num_connections: 1,
            connection_info: { app_id: 'A1' },
            debug_info: { host: 'test' },
          }),
        );
        socket.send(
          JSON.stringify({
            envelope_id: 'env-1',
            type: 'slash_commands',
            accepts_response_payload: true,
            payload: {
              command: '/ai-news',
              text: 'help',
              user_id: 'U1',
              channel_id: 'C1',
              team_id: 'T1',
              response_url: `${slack.apiUrl}response.hook`,
              trigger_id: 't',
            },
          }),
        );
      });
    });
    const app = await createSlackApp(t.services, {
      token: 'xoxb-socket',
      appToken: 'xapp-1-test',
      apiUrl: slack.apiUrl,
      port: 0,
    });
    await app.start(0);
    cleanups.push(() => app.stop());
    const payload = await acked;
    expect(payload).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/ai-news — the AI model ecosystem, briefed/),
    });
    expect(
      slack.calls.some((c) => c.method === 'apps.connections.open' && c.headers.authorization === 'Bearer xapp-1-test'),
    ).toBe(true);
  }, 20_000);
});
