import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { runDueDigests } from '../../src/digest/send-digest.js';
import { serveOrExplain, startServer } from '../../src/main.js';
import { createSlackApp } from '../../src/slack/create-slack-app.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { serve, startServer as startFeedServer } from '../helpers/feed-server.js';
import { commandBody, eventBody, SIGNING_SECRET, signedPost } from '../helpers/signed-request.js';
import { rss, TEST_ENGINE, tempDir, testConfig, testServices } from '../helpers/test-services.js';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
const KEY_HEX = randomBytes(32).toString('hex');
const OAUTH_ENV = {
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: 'client-secret-abc',
  SLACK_STATE_SECRET: 'state-secret-0123456789',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
};

let slack: FakeSlack;
let t: Awaited<ReturnType<typeof testServices>>;
let app: Awaited<ReturnType<typeof createSlackApp>>;
let origin: string;

async function boot(fake: Parameters<typeof startFakeSlack>[0] = {}) {
  slack = await startFakeSlack({
    clientId: OAUTH_ENV.SLACK_CLIENT_ID,
    clientSecret: OAUTH_ENV.SLACK_CLIENT_SECRET,
    ...fake,
  });
  t = await testServices({ ...OAUTH_ENV, SECRETS_KEY: KEY_HEX, SLACK_API_URL: slack.apiUrl, ADMIN_USER_IDS: 'UADMIN' });
  const oauth = t.config.slack.oauth;
  if (!oauth || !t.config.secretsKey) throw new Error('OAuth settings did not load');
  app = await createSlackApp(t.services, {
    oauth: { ...oauth, secretsKey: t.config.secretsKey },
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
  });
  origin = `http://127.0.0.1:${await app.start(0)}`;
}

afterEach(async () => {
  await app?.stop();
  await t?.close();
  await slack?.close();
  app = undefined as unknown as typeof app;
  t = undefined as unknown as typeof t;
  slack = undefined as unknown as typeof slack;
});

/** /slack/install as a browser opens it: the redirect to Slack's consent page, and the state cookie. */
async function startInstall(): Promise<{ status: number; location: URL; cookie: string }> {
  const res = await fetch(`${origin}/slack/install`, { redirect: 'manual' });
  await res.text();
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return { status: res.status, location: new URL(res.headers.get('location') ?? 'about:blank'), cookie };
}

/** Slack sending the browser back to /slack/oauth_redirect with a code (and the state, unless left out). */
async function finishInstall(code: string, state: string | null, cookie?: string) {
  const q = new URLSearchParams({ code, ...(state === null ? {} : { state }) });
  const res = await fetch(`${origin}/slack/oauth_redirect?${q}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  return { status: res.status, text: await res.text() };
}

/** The whole install of the app into a workspace, as a browser goes through it. */
async function install(team: string) {
  const start = await startInstall();
  const state = start.location.searchParams.get('state');
  const done = await finishInstall(`code-${team}`, state, start.cookie);
  expect(done.status).toBe(200);
}

const command = (text: string, team: string, channel: string, user = 'U1') =>
  signedPost(
    `${origin}/slack/events`,
    commandBody(text, { team, channel, user, responseUrl: `${slack.apiUrl}response.hook` }),
    'application/x-www-form-urlencoded',
  );

async function until<T>(get: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Waits until an asynchronous check holds (event listeners run after Slack's delivery is acknowledged). */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const teams = async () => (await t.services.installations.listTeams()).map((x) => x.teamId).join(',');
const tokenOf = (team: string) => [...slack.issuedTokens()].filter(([, t]) => t === team).map(([k]) => k);
const webApiCalls = () => slack.calls.filter((c) => c.method !== 'response.hook');

describe('OAuth distribution: many workspaces over HTTP', () => {
  it('installs two workspaces through /slack/install and answers each with its own token', async () => {
    await boot();
    const start = await startInstall();
    // Straight to Slack's consent page, asking for the manifest's scopes, with a signed state in a cookie.
    expect(start.status).toBe(302);
    expect(start.location.origin + start.location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(start.location.searchParams.get('client_id')).toBe(OAUTH_ENV.SLACK_CLIENT_ID);
    expect(start.location.searchParams.get('scope')?.split(',')).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'users:read']),
    );
    expect(start.cookie).toBe(`slack-app-oauth-state=${start.location.searchParams.get('state')}`);

    await install('T1');
    await install('T2');
    // The code exchange went to SLACK_API_URL with the app's credentials.
    const exchanges = slack.calls.filter((c) => c.method === 'oauth.v2.access');
    expect(exchanges.map((c) => c.body.code)).toEqual(['code-T1', 'code-T2']);
    expect(exchanges.every((c) => c.body.client_secret === OAUTH_ENV.SLACK_CLIENT_SECRET)).toBe(true);
    expect((await t.services.installations.listTeams()).map((x) => x.teamId)).toEqual(['T1', 'T2']);

    // `digest now` posts with the bot token of the workspace the command came from.
    await command('digest now', 'T1', 'CT1');
    await command('digest now', 'T2', 'CT2');
    const post1 = await until(() =>
      slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'CT1'),
    );
    const post2 = await until(() =>
      slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'CT2'),
    );
    expect(tokenOf('T1')).toEqual([post1.token]);
    expect(tokenOf('T2')).toEqual([post2.token]);
    expect(post1.token).not.toBe(post2.token);

    // An admin-only command asks users.info with the asking workspace's token too.
    await command('subscribe 09:00', 'T2', 'CT2', 'UWSADMIN');
    const info = await until(() => slack.calls.find((c) => c.method === 'users.info' && c.body.user === 'UWSADMIN'));
    expect(info.token).toBe(post2.token);
  });

  it('two installed workspaces each see only their own feeds (tenancy)', async () => {
    const feeds = await startFeedServer({
      '/t1': serve(rss([{ title: 'Mistral AI ships Mistral Large 3', guid: 'm1' }], 'Workspace one wire')),
    });
    try {
      await boot();
      await install('T1');
      await install('T2');
      await command(`feeds add ${feeds.url('/t1')}`, 'T1', 'CT1', 'UADMIN');
      await until(() =>
        slack.calls.find((c) => c.method === 'response.hook' && /Added #/.test(String(c.body.text ?? ''))),
      );
      const one = (await command('feeds', 'T1', 'CT1')).text;
      const two = (await command('feeds', 'T2', 'CT2')).text;
      expect(one).toContain('Workspace one wire');
      expect(two).not.toContain('Workspace one wire');
      expect(two).toMatch(/No feeds yet/);
      // Its story is T1's to read: T2's search finds nothing.
      expect((await command('search mistral', 'T1', 'CT1')).text).toContain('Mistral Large 3');
      expect((await command('search mistral', 'T2', 'CT2')).text).not.toContain('Mistral Large 3');
      expect((await t.services.feeds.list('T1')).map((f) => f.title)).toEqual(['Workspace one wire']);
      expect(await t.services.feeds.list('T2')).toEqual([]);
    } finally {
      await feeds.close();
    }
  });

  it('refuses a forged, a missing or an unbound state, and exchanges no code', async () => {
    await boot();
    const start = await startInstall();
    const state = start.location.searchParams.get('state') as string;
    const forged = await finishInstall('code-T3', 'forged-state', 'slack-app-oauth-state=forged-state');
    expect(forged.status).toBe(400);
    const absent = await finishInstall('code-T3', null, start.cookie);
    expect(absent.status).toBe(400);
    // A genuine state but from another browser (no cookie): a login CSRF attempt.
    const noCookie = await finishInstall('code-T3', state);
    expect(noCookie.status).toBe(400);
    expect(slack.calls.filter((c) => c.method === 'oauth.v2.access')).toEqual([]);
    expect(await t.services.installations.listTeams()).toEqual([]);
    // The same genuine state with its cookie still works: the refusals were about the state alone.
    expect((await finishInstall('code-T3', state, start.cookie)).status).toBe(200);
    expect((await t.services.installations.listTeams()).map((x) => x.teamId)).toEqual(['T3']);
  });

  it('gives a workspace that never installed nothing, and calls no Web API for it', async () => {
    await boot();
    await install('T1');
    const before = webApiCalls().length;
    const r = await command('digest now', 'T9', 'CT9');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    await new Promise((res) => setTimeout(res, 300));
    expect(webApiCalls().length).toBe(before);
    expect(slack.calls.filter((c) => c.method === 'response.hook')).toEqual([]);
  });

  it('deletes the tokens on app_uninstalled: the next request from that workspace gets nothing', async () => {
    await boot();
    await install('T1');
    await install('T2');
    await command('subscribe 08:00', 'T1', 'CT1', 'UADMIN');
    expect((await t.services.channels.get('CT1', 'T1'))?.teamId).toBe('T1');
    expect(await app.deps.served?.('T1')).toBe(true);

    const ev = await signedPost(
      `${origin}/slack/events`,
      eventBody({ type: 'app_uninstalled' }, 'T1'),
      'application/json',
    );
    expect(ev.status).toBe(200);
    // The listener deletes the tokens, then records the uninstall: wait for both, not only the first.
    await eventually(async () => (await teams()) === 'T2');
    await eventually(async () => (await t.services.audit.list(20, 'T1')).some((a) => a.action === 'slack.uninstall'));

    const before = webApiCalls().length;
    expect((await command('digest now', 'T1', 'CT1')).text).toBe('');
    await new Promise((res) => setTimeout(res, 300));
    expect(webApiCalls().length).toBe(before);

    // The scheduler leaves the uninstalled workspace's channel alone: no post, nothing marked failed.
    expect(await app.deps.served?.('T1')).toBe(false);
    t.clock.set('2026-11-21T08:05:00Z');
    const sent = await runDueDigests(t.services, app.deps.sink, {
      served: app.deps.served,
      sinkFor: (team) => app.deps.sinkFor(team),
    });
    expect(sent).toEqual([]);
    expect(await t.services.digests.find('CT1', '2026-11-21', 'T1')).toBeUndefined();
    expect(webApiCalls().length).toBe(before);
  });

  it('deletes the installation when its bot token is revoked (tokens_revoked)', async () => {
    await boot();
    await install('T1');
    await signedPost(
      `${origin}/slack/events`,
      eventBody({ type: 'tokens_revoked', tokens: { bot: ['UBOTT1'] } }, 'T1'),
      'application/json',
    );
    await eventually(async () => (await teams()) === '');
  });

  it('keeps no token in the clear in the database', async () => {
    await boot();
    await install('T1');
    await install('T2');
    // What a stolen copy would hold: the SQLite file's bytes, or every installation row as PostgreSQL returns it.
    let raw: string;
    if (TEST_ENGINE === 'sqlite') {
      await t.services.sql.all('PRAGMA wal_checkpoint(TRUNCATE)');
      raw = readFileSync(t.config.databasePath).toString('latin1');
    } else raw = JSON.stringify(await t.services.sql.all('SELECT * FROM slack_installations'));
    // The file is the one the installations are in (their clear lookup columns are there)…
    expect(raw).toContain('Team T1');
    // …and no token is.
    for (const token of slack.issuedTokens().keys()) expect(raw).not.toContain(token);
    expect(raw).not.toMatch(/xox[bpe]-/);
  });

  it('rotates an expiring bot token through oauth.v2.access and answers with the new one', async () => {
    // The installed token is within Bolt's two-hour refresh window from the start; refreshed ones live 12 h.
    await boot({ tokenExpiresIn: 600 });
    await install('T1');
    const [first] = tokenOf('T1');
    const stored = await t.services.installations.findByTeam('T1');
    expect(stored?.expiresAt).toBeGreaterThan(Date.now() / 1000);

    await command('digest now', 'T1', 'CT1');
    const post = await until(() => slack.calls.find((c) => c.method === 'chat.postMessage'));
    const refresh = slack.calls.find((c) => c.method === 'oauth.v2.access' && c.body.grant_type === 'refresh_token');
    expect(refresh?.body.refresh_token).toMatch(/^xoxe-1-T1-/);
    expect(post.token).not.toBe(first);
    expect(tokenOf('T1')).toContain(post.token);
    // The rotated token was stored (sealed): scheduled posts use it without refreshing again.
    expect((await t.services.installations.findByTeam('T1'))?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 7200);
    const refreshes = () => slack.calls.filter((c) => c.body.grant_type === 'refresh_token').length;
    const before = refreshes();
    const client = await app.deps.clients.forTeam('T1');
    expect((client as { token?: string } | undefined)?.token).toBe(post.token);
    expect(refreshes()).toBe(before);
  });
});

describe('OAuth distribution: serve', () => {
  it('serves the installer and /healthz in one process with no bot token', async () => {
    slack = await startFakeSlack();
    const d = tempDir();
    const config = testConfig(d.dir, {
      ...OAUTH_ENV,
      SECRETS_KEY: KEY_HEX,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      FEEDS_FILE: `${d.dir}/none.opml`,
    });
    const server = await startServer(config, { logger: silentLogger });
    try {
      const install = await fetch(`http://127.0.0.1:${server.port}/slack/install`, { redirect: 'manual' });
      expect(install.status).toBe(302);
      expect(install.headers.get('location')).toMatch(/^https:\/\/slack\.com\/oauth\/v2\/authorize\?/);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
      // No token to check at start: no auth.test, no Web API call at all.
      expect(slack.calls).toEqual([]);
    } finally {
      await server.stop();
      d.cleanup();
    }
  });
});

describe('OAuth distribution: start-up refusals', () => {
  it('refuses to serve many workspaces without SECRETS_KEY, with exit code 78 and one clear line', async () => {
    const d = tempDir();
    try {
      const config = testConfig(d.dir, { ...OAUTH_ENV, PORT: '0' });
      const errors: string[] = [];
      const r = await serveOrExplain(config, (s) => errors.push(s), { logger: silentLogger });
      expect(r).toEqual({ exitCode: 78 });
      expect(errors.join('')).toMatch(/SECRETS_KEY is required with OAuth distribution.*openssl rand -hex 32/);
    } finally {
      d.cleanup();
    }
  });
});
