import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS, ASSISTANT_EVENTS, BOT_SCOPES, COMMAND, EVENTS, VIEWS } from '../../src/slack/ids.js';

const ROOT = join(import.meta.dirname, '../..');
const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as {
  features: {
    slash_commands: { command: string }[];
    app_home: { home_tab_enabled: boolean };
    assistant_view?: { assistant_description: string };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
};
const SCHEMA = join(ROOT, '../shared/schemas/slack-manifest/manifest.schema.1.0.0.json');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}
const slackCode = sources(join(ROOT, 'src/slack')).join('\n');

describe('manifest.yml', () => {
  it.runIf(existsSync(SCHEMA))('validates against Slack’s app manifest JSON Schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema rejects what Slack rejects: a made-up key must fail.
    expect(validate({ ...manifest, made_up_key: true })).toBe(false);
  });

  it('declares exactly the slash command the code registers', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(slackCode).toContain('app.command(COMMAND');
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...EVENTS, ...ASSISTANT_EVENTS].sort(),
    );
    const listened = [...slackCode.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]).sort();
    expect(listened).toEqual([...EVENTS].sort());
  });

  it('declares the assistant view that Bolt’s Assistant serves, with its three handlers', () => {
    expect(manifest.features.assistant_view?.assistant_description).toBeTruthy();
    expect(slackCode).toContain('app.assistant(');
    for (const handler of ['threadStarted:', 'threadContextChanged:', 'userMessage:'])
      expect(slackCode).toContain(handler);
    expect(BOT_SCOPES).toEqual(expect.arrayContaining(['assistant:write', 'im:history']));
  });

  it('asks for exactly the bot scopes the code needs', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('enables interactivity and App Home, which the actions, views and home tab need', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    for (const id of Object.keys(ACTIONS)) expect(slackCode).toMatch(new RegExp(`ACTIONS\\.${id}\\b`));
    for (const id of Object.keys(VIEWS)) expect(slackCode).toMatch(new RegExp(`VIEWS\\.${id}\\b`));
  });
});
