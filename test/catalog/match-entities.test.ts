import { describe, expect, it } from 'vitest';
import { LABS } from '../../src/catalog/labs.js';
import { createEntityMatcher, originOf } from '../../src/catalog/match-entities.js';
import { loadLabelledSet, scoreEntities } from '../helpers/score-entities.js';

const matcher = createEntityMatcher();

const SET = loadLabelledSet();

describe('entity matcher on the labelled set', () => {
  it('has at least 60 sentences in English, Spanish and Chinese, including ones that must not tag', () => {
    expect(SET.length).toBeGreaterThanOrEqual(60);
    for (const lang of ['en', 'es', 'zh']) expect(SET.filter((e) => e.lang === lang).length).toBeGreaterThanOrEqual(15);
    expect(SET.filter((e) => e.labs.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it('reaches ≥ 95% precision and recall on labs, and on model versions', () => {
    const r = scoreEntities(matcher, SET);
    console.log(
      `entities: ${SET.length} sentences; labs precision ${r.precision.toFixed(3)} recall ${r.recall.toFixed(3)}; ` +
        `versions precision ${r.versionPrecision.toFixed(3)} recall ${r.versionRecall.toFixed(3)}`,
    );
    if (r.errors.length) console.log(r.errors.join('\n'));
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.versionPrecision).toBeGreaterThanOrEqual(0.95);
    expect(r.versionRecall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('match', () => {
  it.each([
    ['Qwen3.5-397B is out', 'Qwen3.5-397B', 'qwen@3.5'],
    ['DeepSeek-V4 lands', 'DeepSeek-V4', 'deepseek@v4'],
    ['Try Kimi K2.6 today', 'Kimi K2.6', 'kimi@k2.6'],
    ['GLM-5.2 is MIT licensed', 'GLM-5.2', 'glm@5.2'],
    ['Gemini 3.1 Pro preview', 'Gemini 3.1 Pro', 'gemini@3.1'],
    ['Grok 4.1 Fast is cheap', 'Grok 4.1 Fast', 'grok@4.1'],
    ['MiniMax-M2.5 model card', 'MiniMax-M2.5', 'minimax@m2.5'],
    ['GPT5 and the new router', 'GPT5', 'gpt@5'],
    ['KM K2.6 (as transcribed)', 'KM K2.6', 'kimi@k2.6'],
    ['ＤｅｅｐＳｅｅｋ－Ｖ4 in full-width', 'ＤｅｅｐＳｅｅｋ－Ｖ4', 'deepseek@v4'],
  ])('extracts the version from "%s"', (text, name, key) => {
    expect(matcher.match(text).versions[0]).toMatchObject({ name, key });
  });

  it('does not read sizes or years as versions', () => {
    expect(matcher.match('gpt-oss-120b and gpt-oss-20b').versions).toEqual([]);
    expect(matcher.match('Qwen 2026 roadmap for the model').versions).toEqual([]);
  });

  it.each([
    'the Gemini zodiac sign',
    'a llama farm',
    'the mistral wind',
    'Claude Debussy composed La Mer',
    'Nova Scotia in winter',
    'Kimi Räikkönen wins in Monaco',
    'Phi Beta Kappa',
    'one small step for man',
    'Apple reports record iPhone sales',
  ])('ignores the ordinary word in "%s"', (text) => {
    expect(matcher.match(text).labs).toEqual([]);
  });

  it('accepts ambiguous names next to AI context, in any of the three languages', () => {
    expect(matcher.match('Mistral released a new model today').labs).toEqual(['mistral']);
    expect(matcher.match('Llama sigue siendo el modelo abierto más usado').labs).toEqual(['meta']);
    expect(matcher.match('Kimi 最新大模型发布').labs).toEqual(['moonshot']);
  });

  it('looks for AI context within 90 characters either side of an ambiguous name, wherever it is in a long text', () => {
    const filler = (n: number) => 'x'.repeat(n);
    const body = (before: number, after: number) =>
      `The model arrived. ${filler(300)} chips ${filler(before)} Mistral ${filler(after)} tokens ${filler(300)} agents`;
    expect(matcher.match('Weather report', body(400, 80)).labs).toEqual(['mistral']); // context after, in reach
    expect(matcher.match('Weather report', body(80, 400)).labs).toEqual(['mistral']); // context before, in reach
    expect(matcher.match('Weather report', body(120, 120)).labs).toEqual([]); // AI words on both sides, too far
  });

  it('matches Chinese names without spaces, garbled spellings and Latin names inside CJK text', () => {
    expect(matcher.match('深度求索今天发布新模型').labs).toEqual(['deepseek']);
    expect(matcher.match('通义千问和智谱都更新了').labs.sort()).toEqual(['alibaba', 'zhipu']);
    expect(matcher.match('Dipsic sorprende a Silicon Valley').labs).toEqual(['deepseek']);
    expect(matcher.match('Quen 3 es el modelo de Alibaba').labs).toEqual(['alibaba']);
    expect(matcher.match('月之暗面发布Kimi K2.6模型').versions.map((v) => v.key)).toEqual(['kimi@k2.6']);
  });

  it('respects word boundaries in Latin script', () => {
    expect(matcher.match('metadata and metaverse').labs).toEqual([]);
    expect(matcher.match('The glmnet package').labs).toEqual([]);
  });

  it('reports origin and openness', () => {
    expect(matcher.match('Mistral Large 3 ships')).toMatchObject({ origins: ['EU'], openness: ['mixed'] });
    expect(matcher.match('DeepSeek-V4 ships')).toMatchObject({ origins: ['CN'], openness: ['open-source'] });
    expect(matcher.match('Claude Opus 4.7 ships')).toMatchObject({ origins: ['US'], openness: ['closed'] });
    expect(originOf('CA')).toBe('other');
  });

  it('settles a mixed lab or family from what the report says about the release', () => {
    const openness = (title: string, text = '') => matcher.match(title, text).openness;
    expect(openness('Qwen3.5 tops a coding benchmark')).toEqual(['mixed']);
    expect(openness('Alibaba releases Qwen3.5 under Apache 2.0 with open weights')).toEqual(['open-weight']);
    expect(openness('Alibaba lanza Qwen3.5 con pesos abiertos')).toEqual(['open-weight']);
    expect(openness('阿里发布通义千问 Qwen3.5，全面开源')).toEqual(['open-weight']);
    expect(openness('Qwen3-Max is available only through its API')).toEqual(['closed']);
    expect(openness('Mistral Medium 3 ships', 'Unlike Small, it is not open source.')).toEqual(['closed']);
    expect(openness('Qwen3-Max ships', "Its weights aren't open weights yet.")).toEqual(['closed']);
    // Both claims in one report: it stays mixed rather than guessing.
    expect(openness('Qwen3.5 open weights, Qwen3.5-Plus proprietary')).toEqual(['mixed']);
    // Labs with one kind keep it whatever the text says.
    expect(openness('Claude Opus 4.7 ships', 'Anthropic has no plans for open weights.')).toEqual(['closed']);
    expect(openness('DeepSeek-V4 ships', 'Available only through its API for now.')).toEqual(['open-source']);
  });
});

describe('catalog', () => {
  it('has at least 30 labs, each with a country, openness and model families', () => {
    expect(LABS.length).toBeGreaterThanOrEqual(30);
    const openness = ['closed', 'open-weight', 'open-source', 'mixed'];
    for (const lab of LABS) {
      expect(lab.country).toMatch(/^[A-Z]{2}$/);
      expect(openness).toContain(lab.openness);
      for (const f of lab.families) expect(openness).toContain(f.openness);
    }
    expect(LABS.filter((l) => l.families.length > 0).length).toBeGreaterThanOrEqual(30);
  });

  it('has unique lab and family ids, and no alias claimed by two labs', () => {
    const labIds = LABS.map((l) => l.id);
    expect(new Set(labIds).size).toBe(labIds.length);
    const familyIds = LABS.flatMap((l) => l.families.map((f) => f.id));
    expect(new Set(familyIds).size).toBe(familyIds.length);
    const owner = new Map<string, string>();
    for (const lab of LABS) {
      const names = [
        ...lab.aliases,
        ...(lab.ambiguous ?? []),
        ...(lab.strict ?? []),
        ...lab.families.flatMap((f) => [...f.aliases, ...(f.ambiguous ?? []), ...(f.strict ?? [])]),
      ];
      for (const n of names) {
        const k = n.toLowerCase().replace(/[-_\s]+/g, ' ');
        expect(owner.get(k) ?? lab.id, `${n} is claimed by ${owner.get(k)} and ${lab.id}`).toBe(lab.id);
        owner.set(k, lab.id);
      }
    }
  });

  it('knows the Chinese names and the garbled forms machine translation produces', () => {
    for (const name of [
      '通义千问',
      '深度求索',
      '月之暗面',
      '智谱',
      'Dipsic',
      'Quen',
      'Kuen',
      'KM K2',
      'Deep Seek',
      'GPT5',
    ]) {
      expect(matcher.match(`${name} 模型 model`).labs.length, name).toBeGreaterThan(0);
    }
  });
});
