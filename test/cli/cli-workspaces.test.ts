import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { buildServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createInstallationStore } from '../../src/slack/installation-store.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { OFFLINE_SOURCES, tempDir } from '../helpers/test-services.js';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let t: ReturnType<typeof tempDir>;
let env: Record<string, string>;

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env, { logger: silentLogger });
  return { code, out, err };
}

/** Installs the app in workspaces as /slack/oauth_redirect would have stored them. */
async function installed(...teams: string[]) {
  const config = loadConfig(env);
  const s = await buildServices(config, { logger: silentLogger });
  const store = createInstallationStore(s.installations, config.secretsKey as Buffer, s.clock);
  for (const team of teams)
    await store.storeInstallation({
      team: { id: team, name: `Team ${team}` },
      enterprise: undefined,
      user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
      bot: { id: `B${team}`, userId: `UBOT${team}`, token: `xoxb-cli-${team}`, scopes: ['chat:write'] },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    });
  await s.close();
}

beforeEach(async () => {
  slack = await startFakeSlack();
  t = tempDir();
  env = {
    DATABASE_PATH: join(t.dir, 'cli.sqlite'),
    SLACK_CLIENT_ID: '111.222',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret-0123456789',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    SLACK_API_URL: slack.apiUrl,
    FEEDS_FILE: join(t.dir, 'none.opml'),
    ...OFFLINE_SOURCES,
  };
});
afterEach(async () => {
  await slack.close();
  t.cleanup();
});

describe('the CLI with OAuth distribution', () => {
  it('posts with the only installed workspace by default, and with --team when there are several', async () => {
    await installed('T1');
    const one = await cli('digest', 'now', '--channel', 'C1');
    expect(one.code).toBe(0);
    expect(slack.calls.find((c) => c.method === 'chat.postMessage')?.token).toBe('xoxb-cli-T1');

    await installed('T2');
    const ambiguous = await cli('digest', 'now', '--channel', 'C2');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toMatch(/installed in 2 workspaces: T1 \(Team T1\), T2 \(Team T2\)\. Pick one with --team/);

    const picked = await cli('digest', 'now', '--channel', 'C2', '--team', 'T2');
    expect(picked.code).toBe(0);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => [c.body.channel, c.token])).toEqual([
      ['C1', 'xoxb-cli-T1'],
      ['C2', 'xoxb-cli-T2'],
    ]);
  });

  it('stores the picked workspace with a subscription, and refuses a workspace that never installed', async () => {
    await installed('T1', 'T2');
    expect((await cli('subscribe', '--channel', 'C5', '--team', 'T2', '07:00')).code).toBe(0);
    const s = await buildServices(loadConfig(env), { logger: silentLogger });
    expect((await s.channels.get('C5', 'T2'))?.teamId).toBe('T2');
    // Channel ids are unique only within a workspace: the same id in T1 is another channel.
    expect(await s.channels.get('C5', 'T1')).toBeUndefined();
    await s.close();
    const unknown = await cli('digest', 'now', '--channel', 'C5', '--team', 'T9');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/Workspace T9 has not installed the app\. Installed: T1 \(Team T1\), T2 \(Team T2\)/);
  });

  it('says how to install when no workspace has, and still runs commands that need no Slack', async () => {
    const none = await cli('digest', 'now', '--channel', 'C1');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No workspace has installed the app yet: open \/slack\/install/);
    expect((await cli('feeds')).code).toBe(0);
    expect(slack.calls).toEqual([]);
  });

  it('exits 78 when SECRETS_KEY is missing', async () => {
    delete env.SECRETS_KEY;
    const r = await cli('digest', 'now', '--channel', 'C1');
    expect(r.code).toBe(78);
    expect(r.err).toMatch(/SECRETS_KEY is required/);
  });
});
