import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../../src/commands/run-command.js';
import { buildServices } from '../../src/compose.js';
import { silentLogger } from '../../src/core/logger.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { type RunningServer, startServer as startService } from '../../src/main.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { type LocalServer, serve, startServer } from '../helpers/feed-server.js';
import { SIGNING_SECRET } from '../helpers/signed-request.js';
import { OFFLINE_SOURCES, rss, sharedStoreEnv, tempDir, testConfig } from '../helpers/test-services.js';

const ROOT = join(import.meta.dirname, '../..');
const TOKEN = 'mcp-test-token-0123456789abcdef';
const TOOLS = ['ask', 'digest_preview', 'models', 'search', 'stories', 'trends'];
let feeds: LocalServer;
let t: ReturnType<typeof tempDir>;
/** The store the test and its mcp processes share (sharedStoreEnv: a SQLite file, or a PostgreSQL schema). */
let store: Record<string, string>;

/** Every row of the tables a write could touch, to show the tools changed nothing. */
async function snapshot(): Promise<string> {
  const s = await buildServices(testConfig(t.dir, store), { logger: silentLogger });
  try {
    const tables = ['feeds', 'items', 'stories', 'channels', 'digests', 'audit_log', 'watch_rules', 'watch_messages'];
    const rows = [];
    // Every row in a stable order, whatever the table's key: the whole row as text, sorted.
    for (const name of tables)
      rows.push(
        (await s.sql.all<Record<string, unknown>>(`SELECT * FROM ${name}`)).map((r) => JSON.stringify(r)).sort(),
      );
    return JSON.stringify(rows);
  } finally {
    void s.close();
  }
}

beforeAll(async () => {
  feeds = await startServer({
    '/feed': serve(
      rss(
        [
          {
            title: 'DeepSeek releases DeepSeek-V4 under MIT',
            guid: 'a',
            link: 'https://n.example/deepseek-v4',
            description: 'DeepSeek released V4 with open weights under the MIT licence.',
          },
          {
            title: 'Mistral ships Mistral Medium 4',
            guid: 'b',
            link: 'https://n.example/mistral-medium-4',
            description: 'Mistral AI released Medium 4, available through its API.',
          },
        ],
        'AI Wire',
      ),
    ),
  });
  t = tempDir();
  store = sharedStoreEnv(t.dir, 'mcp.sqlite');
  const s = await buildServices(testConfig(t.dir, store), { logger: silentLogger });
  await s.feeds.add({ url: feeds.url('/feed') }, s.clock.now());
  await runIngest(s);
  await s.close();
});
afterAll(async () => {
  await feeds.close();
  t.cleanup();
});

const childEnv = () => ({
  ...OFFLINE_SOURCES,
  PATH: process.env.PATH ?? '',
  ...store,
  LOG_LEVEL: 'info',
  FEEDS_FILE: join(t.dir, 'none.opml'),
});

describe('ai-news mcp (stdio, through the SDK’s own client)', () => {
  it('initializes, lists the read-only tools with schemas, and answers search, ask and the rest without writing', async () => {
    const before = await snapshot();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli/index.ts', 'mcp'],
      cwd: ROOT,
      env: childEnv(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const errors: Error[] = [];
    const client = new Client({ name: 'ai-news-test', version: '1.0.0' });
    client.onerror = (e) => errors.push(e);
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'ai-news' });
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual([...TOOLS, ...(hasCommand('share') ? ['share'] : [])].sort());
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      }
      expect(tools.find((x) => x.name === 'search')?.inputSchema.required).toEqual(['query']);

      const search = await client.callTool({ name: 'search', arguments: { query: 'deepseek' } });
      expect(search.isError).toBeFalsy();
      const found = search.structuredContent as { results: { title: string; url: string }[] };
      expect(found.results.map((r) => r.title)).toEqual(['DeepSeek releases DeepSeek-V4 under MIT']);
      expect(found.results[0]?.url).toBe('https://n.example/deepseek-v4');
      expect((search.content as { type: string; text: string }[])[0]?.text).toMatch(
        /^1 stories for "deepseek":\n• DeepSeek releases DeepSeek-V4 under MIT/,
      );

      const ask = await client.callTool({ name: 'ask', arguments: { question: 'What did Mistral ship this week?' } });
      expect(ask.structuredContent).toMatchObject({
        kind: 'results',
        citations: [{ n: 1, title: 'Mistral ships Mistral Medium 4' }],
      });
      const nothing = await client.callTool({ name: 'ask', arguments: { question: 'What did Anthropic ship today?' } });
      expect(nothing.structuredContent).toMatchObject({ kind: 'nothing', citations: [] });

      const stories = await client.callTool({ name: 'stories', arguments: { since: '7d' } });
      expect((stories.structuredContent as { stories: unknown[] }).stories).toHaveLength(2);
      const trends = await client.callTool({ name: 'trends', arguments: { days: 7 } });
      expect((trends.structuredContent as { labs: { key: string }[] }).labs.map((r) => r.key).sort()).toEqual([
        'deepseek',
        'mistral',
      ]);
      const models = await client.callTool({ name: 'models', arguments: { days: 30 } });
      expect(models.structuredContent).toMatchObject({ days: 30, releases: [] });
      const digest = await client.callTool({ name: 'digest_preview', arguments: { window: '7d' } });
      expect((digest.structuredContent as { stories: unknown[] }).stories).toHaveLength(2);
      expect((digest.content as { text: string }[])[0]?.text).toMatch(/^AI model ecosystem — /);

      // A command that cannot answer says why, as a tool error (here: the rankings source is off).
      if (hasCommand('share')) {
        const share = await client.callTool({ name: 'share', arguments: { days: 7 } });
        expect(share.isError).toBe(true);
        expect(JSON.stringify(share.content)).toMatch(/OPENROUTER_RANKINGS_URL/);
      }
      // Bad input is refused by the schema, with the reason.
      const bad = await client.callTool({ name: 'stories', arguments: { since: 'forever' } });
      expect(bad.isError).toBe(true);
      expect(JSON.stringify(bad.content)).toMatch(/a duration such as 24h/);
    } finally {
      await client.close();
    }
    expect(errors).toEqual([]);
    expect(stderr).toMatch(/"msg":"mcp: serving on stdio"/);
    expect(await snapshot()).toBe(before);
  }, 30_000);

  it('writes only protocol messages to stdout and exits when the client closes stdin', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'mcp'], {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    await new Promise<void>((resolve) => {
      const check = () => (out.includes('"id":1') ? resolve() : setTimeout(check, 20));
      check();
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'mistral' } } });
    await new Promise<void>((resolve) => {
      const check = () => (out.includes('"id":2') ? resolve() : setTimeout(check, 20));
      check();
    });
    child.stdin.end();
    expect(await exit).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(JSON.parse(lines[1] as string).result.structuredContent.results[0].title).toBe(
      'Mistral ships Mistral Medium 4',
    );
  }, 30_000);
});

describe('/mcp under serve (Streamable HTTP, bearer token)', () => {
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    slack = await startFakeSlack();
    const config = testConfig(t.dir, {
      ...store,
      SLACK_BOT_TOKEN: 'xoxb-mcp-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      MCP_TOKEN: TOKEN,
      FEEDS_FILE: join(t.dir, 'none.opml'),
    });
    server = await startService(config, { logger: silentLogger });
    url = `http://127.0.0.1:${server.port}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    await slack?.close();
  });

  const initialize = (headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });

  it('refuses a request without the bearer token, or with a wrong one, with 401', async () => {
    const none = await initialize({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await initialize({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await initialize({ authorization: TOKEN })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
    const client = new Client({ name: 'no-token', version: '1' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toThrow();
  });

  it('serves the same tools to the SDK client that sends the token', async () => {
    const client = new Client({ name: 'with-token', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual([...TOOLS, ...(hasCommand('share') ? ['share'] : [])].sort());
      const search = await client.callTool({ name: 'search', arguments: { query: 'deepseek' } });
      expect((search.structuredContent as { results: { title: string }[] }).results[0]?.title).toBe(
        'DeepSeek releases DeepSeek-V4 under MIT',
      );
    } finally {
      await client.close();
    }
  });
});
