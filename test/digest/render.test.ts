import { describe, expect, it } from 'vitest';
import type { Digest, DigestStory } from '../../src/digest/compose-digest.js';
import { labelsFor } from '../../src/digest/labels.js';
import { type Block, LIMITS, renderBlocks, type SlackMessage } from '../../src/digest/render-blocks.js';
import { renderMarkdown } from '../../src/digest/render-markdown.js';
import { renderText } from '../../src/digest/render-text.js';

const HOSTILE =
  '<!channel> <!here> <!everyone> <@U0123ABC> <!subteam^S1|@eng> <#C1|general> <https://evil.example|click> & friends';

function story(i: number, over: Partial<DigestStory> = {}): DigestStory {
  return {
    id: i,
    title: `DeepSeek-V4 story ${i}`,
    url: `https://news.example/${i}`,
    summary: 'DeepSeek released V4 under MIT. The weights are on Hugging Face.',
    summarySource: 'offline',
    originalLanguage: null,
    sources: [
      { title: 'a', url: `https://a.example/${i}`, feed: 'Outlet A' },
      { title: 'b', url: `https://b.example/${i}`, feed: 'Outlet B' },
    ],
    labs: ['DeepSeek'],
    publishedAt: '2026-11-29T06:00:00Z',
    score: 5,
    ...over,
  };
}

function digest(over: Partial<Digest> = {}): Digest {
  return {
    channelId: 'C1',
    language: 'en',
    timeZone: 'Europe/Madrid',
    labels: labelsFor('en'),
    from: '2026-11-28T07:00:00Z',
    to: '2026-11-29T07:00:00Z',
    windowText: '28 Nov 08:00 → 29 Nov 08:00',
    stories: [story(1), story(2)],
    more: 0,
    newModels: [
      {
        name: 'Qwen3.6 Plus',
        lab: 'Alibaba (Qwen)',
        origin: 'China',
        openness: 'closed',
        url: 'https://openrouter.ai/qwen/qwen3.6-plus',
      },
    ],
    pulse: 'China 40% ▲ 5 · United States 45% ▼ 3  |  open weights 50% · closed 30%',
    model: 'offline',
    tokens: 0,
    quiet: false,
    ...over,
  };
}

/** Every text a Slack client would render from a message. */
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

function assertLimits(messages: SlackMessage[]) {
  for (const m of messages) {
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const b of m.blocks as (Block & { text?: { text: string }; elements?: { text?: unknown }[] })[]) {
      if (b.type === 'header') expect(b.text?.text.length).toBeLessThanOrEqual(LIMITS.headerText);
      if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      if (b.type === 'context') expect(b.elements?.length).toBeLessThanOrEqual(LIMITS.contextElements);
      if (b.type === 'actions')
        for (const e of b.elements ?? [])
          expect(((e.text as { text: string }).text ?? '').length).toBeLessThanOrEqual(LIMITS.buttonText);
    }
    const ids = m.blocks.map((b) => b.block_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  }
}

/** No way to ping or to disguise a link: no <!…>, <@…>, <#…>, and every <…> is an http(s) link. */
function assertInert(messages: SlackMessage[]) {
  for (const m of messages) {
    for (const t of texts(m)) {
      expect(t).not.toMatch(/<[!@#]/);
      for (const tag of t.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(/^<https?:\/\/[^|<>\s]+\|[^<>]*>$/);
    }
  }
}

describe('renderBlocks', () => {
  it('renders header, stories with sources, new models, pulse and footer within limits', () => {
    const messages = renderBlocks(digest(), { interactive: true });
    expect(messages).toHaveLength(1);
    const m = messages[0] as SlackMessage;
    expect(m.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('<https://news.example/1|DeepSeek-V4 story 1>');
    expect(all).toContain('2 sources: <https://a.example/1|Outlet A> · <https://b.example/1|Outlet B>');
    expect(all).toContain('New models');
    expect(all).toContain('digest_vote_up');
    expect(all).toContain('Offline summaries (no model)');
    assertLimits(messages);
    assertInert(messages);
    expect(m.blocks).toMatchSnapshot();
  });

  it('escapes hostile text everywhere: nothing pings, nothing disguises a link', () => {
    const evil = story(1, {
      title: HOSTILE,
      summary: `${HOSTILE} <script>alert(1)</script>`,
      url: 'javascript:alert(1)',
      sources: [{ title: HOSTILE, url: 'https://ok.example/x|<!channel>', feed: HOSTILE }],
      labs: [HOSTILE],
    });
    const d = digest({
      stories: [evil],
      newModels: [{ name: HOSTILE, lab: HOSTILE, origin: HOSTILE, openness: HOSTILE, url: 'ftp://x' }],
      pulse: HOSTILE,
    });
    const messages = renderBlocks(d, { interactive: true });
    assertInert(messages);
    expect(JSON.stringify(messages)).toContain('&amp; friends');
    expect(JSON.stringify(messages)).not.toContain('javascript:');
    expect(renderText(d)).not.toMatch(/<!|<@/);
  });

  it('holds 200 stories with the longest titles and many sources within every limit, continuing in more messages', () => {
    const long = 'Ü'.repeat(400);
    const stories = Array.from({ length: 200 }, (_, i) =>
      story(i, {
        title: `${long} ${i}`,
        summary: 'x'.repeat(5000),
        sources: Array.from({ length: 30 }, (_, k) => ({
          title: `s${k}`,
          url: `https://s${k}.example/${i}`,
          feed: `Feed ${k} ${'y'.repeat(200)}`,
        })),
      }),
    );
    const models = Array.from({ length: 300 }, (_, i) => ({
      name: `Model ${i} ${'z'.repeat(40)}`,
      lab: 'Lab',
      origin: 'China',
      openness: 'open weights',
      url: `https://m.example/${i}`,
    }));
    const messages = renderBlocks(digest({ stories, newModels: models }), { interactive: true });
    expect(messages.length).toBeGreaterThan(1);
    assertLimits(messages);
    assertInert(messages);
    expect(messages[1]?.text).toMatch(/continued 2\//);
  });

  it('renders right-to-left and CJK text intact', () => {
    const d = digest({
      stories: [story(1, { title: 'نموذج جديد من DeepSeek', summary: '月之暗面发布Kimi K2.6模型。' })],
    });
    const m = renderBlocks(d)[0] as SlackMessage;
    expect(JSON.stringify(m.blocks)).toContain('نموذج جديد من DeepSeek');
    expect(JSON.stringify(m.blocks)).toContain('月之暗面发布Kimi K2.6模型。');
    assertLimits([m]);
  });

  it('says it is a quiet day when nothing happened', () => {
    const messages = renderBlocks(digest({ stories: [], newModels: [], pulse: '', quiet: true }));
    expect(JSON.stringify(messages[0]?.blocks)).toContain('A quiet day');
    expect(renderText(digest({ stories: [], newModels: [], quiet: true }))).toContain('A quiet day');
  });

  it('uses Spanish labels for a Spanish channel and marks summaries left in their source language', () => {
    const d = digest({ language: 'es', labels: labelsFor('es'), stories: [story(1, { originalLanguage: 'chino' })] });
    const all = JSON.stringify(renderBlocks(d));
    expect(all).toContain('Noticias principales');
    expect(all).toContain('Modelos nuevos');
    expect(all).toContain('en chino');
    expect(renderText(d)).toContain('NOTICIAS PRINCIPALES');
  });
});

describe('renderText and renderMarkdown', () => {
  it('show every section in reading order', () => {
    const text = renderText(digest({ more: 3, model: 'gpt-4o-mini', tokens: 1234 }));
    expect(text.indexOf('TOP STORIES')).toBeLessThan(text.indexOf('NEW MODELS'));
    expect(text).toMatch(/1\. DeepSeek-V4 story 1\n {3}DeepSeek released V4/);
    expect(text).toContain('3 more stories');
    expect(text).toContain('Summaries by gpt-4o-mini · 1,234 model tokens');
    const md = renderMarkdown(digest());
    expect(md).toContain('### [DeepSeek-V4 story 1](https://news.example/1)');
    expect(md).toContain(
      '- [Qwen3.6 Plus](https://openrouter.ai/qwen/qwen3.6-plus) — Alibaba \\(Qwen\\)'
        .replace('\\(', '(')
        .replace('\\)', ')'),
    );
  });
});
