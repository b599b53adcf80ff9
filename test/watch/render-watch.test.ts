import { describe, expect, it } from 'vitest';
import { type Block, LIMITS, type SlackMessage } from '../../src/digest/render-blocks.js';
import { renderAnnouncement, renderFold, renderUpdate, type WatchStoryView } from '../../src/watch/render-watch.js';
import { watchLabelsFor } from '../../src/watch/watch-labels.js';

const HOSTILE = '<!channel> <@U0123ABC> <https://evil.example|click> & <!subteam^S1|@eng>';

function story(i: number, over: Partial<WatchStoryView> = {}): WatchStoryView {
  return {
    id: i,
    title: `${HOSTILE} story ${i} ${'long title '.repeat(30)}`,
    url: `https://news.example/${i}`,
    summary: `${HOSTILE} ${'summary '.repeat(600)}`,
    sources: Array.from({ length: 9 }, (_, k) => ({
      title: `source ${k}`,
      url: k === 3 ? 'javascript:alert(1)' : `https://s${k}.example/${i}`,
      feed: `Outlet ${k} ${HOSTILE}`,
    })),
    tags: ['DeepSeek', 'China', 'open weights'],
    kind: 'story',
    ...over,
  };
}

/** Every text Slack would render from a message. */
function texts(m: SlackMessage): string[] {
  const out = [m.text];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    for (const x of Object.values(o)) walk(x);
  };
  walk(m.blocks);
  return out;
}

function assertSafe(m: SlackMessage) {
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  for (const b of m.blocks as (Block & { text?: { text: string }; elements?: { text: string }[] })[]) {
    if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'context') {
      expect(b.elements?.length).toBeLessThanOrEqual(LIMITS.contextElements);
      for (const e of b.elements ?? []) expect(e.text.length).toBeLessThanOrEqual(LIMITS.contextText);
    }
  }
  for (const t of texts(m)) {
    expect(t).not.toMatch(/<!channel>|<!subteam|<@U|<https:\/\/evil/);
    expect(t).not.toContain('javascript:');
  }
}

describe('watch messages', () => {
  const en = watchLabelsFor('en');
  it('announce a story within Block Kit limits, with untrusted text made inert', () => {
    const m = renderAnnouncement(story(1), en, { id: 4, topics: 'lab:deepseek -rumor' });
    assertSafe(m);
    expect(JSON.stringify(m.blocks)).toContain('9 sources: <https://s0.example/1|Outlet 0');
    expect(JSON.stringify(m.blocks)).toContain('+3');
    expect(JSON.stringify(m.blocks)).toContain('_watch #4: lab:deepseek -rumor_');
    // Feed text cannot style itself or end the bold around the title.
    const styled = renderAnnouncement(story(3, { title: 'GPT-5 *beats* o3', summary: 'it _really_ `does`' }), en, null);
    expect(JSON.stringify(styled.blocks)).not.toMatch(/\*beats\*|_really_|`does`/);
    const listing = renderAnnouncement(story(2, { kind: 'release' }), watchLabelsFor('es'), null);
    expect(JSON.stringify(listing.blocks)).toContain('Modelo nuevo en catálogo');
  });

  it('fold 200 stories into one message that stays within 50 blocks', () => {
    const m = renderFold(
      Array.from({ length: 200 }, (_, i) => ({ story: story(i) })),
      en,
      10,
    );
    assertSafe(m);
    expect(m.text).toMatch(/^🔔 200 more stories matched this channel's watch rules \(at most 10 posts an hour\)/);
  });

  it('list later sources in a threaded update, naming the story when the parent was a fold', () => {
    const sources = story(1).sources;
    const plain = renderUpdate(sources.slice(0, 2), en, null);
    expect(plain.text).toMatch(/^\+2 sources: Outlet 0 .*, Outlet 1 /);
    assertSafe(plain);
    const folded = renderUpdate(sources, watchLabelsFor('es'), 'DeepSeek-V4');
    expect(folded.text).toMatch(/^\+9 fuentes para «DeepSeek-V4»/);
    assertSafe(folded);
  });
});
