import { describe, expect, it } from 'vitest';
import { createEntityMatcher } from '../../src/catalog/match-entities.js';
import { parseModelKey, relateModels } from '../../src/catalog/model-name.js';

const matcher = createEntityMatcher();
/** The model keys a headline is about (not comparisons). */
const keys = (title: string, text = '') =>
  matcher
    .match(title, text)
    .models.filter((m) => !m.comparison)
    .map((m) => m.key);
const relate = (a: string, b: string) => relateModels(parseModelKey(a), parseModelKey(b));

describe('model identity across spellings', () => {
  it.each([
    'DeepSeek R1 is here',
    'DeepSeek-R1 is here',
    'DeepSeek‑R1 is here (non-breaking hyphen)',
    'DeepSeek_R1 is here',
    'Llega R1 de DeepSeek',
    'DeepSeek lanza su modelo R1',
    'DeepSeekR1开源引发推理热潮',
  ])('"%s" names deepseek@r1', (title) => {
    expect(keys(title)).toContain('deepseek@r1');
  });

  it('keeps editions and tiers that make another product of the family', () => {
    expect(keys('DeepSeek-R1-0528 is a small upgrade')).toEqual(['deepseek@r1~0528']);
    expect(keys('He probado DeepSeek R1 Lite Preview')).toEqual(['deepseek@r1+lite~preview']);
    expect(keys('实测 DeepSeek R1 Lite 预览版')).toEqual(['deepseek@r1+lite~preview']);
    expect(keys('Qwen3.6-Coder-7B for local agents')).toEqual(['qwen@3.6+coder']);
    expect(keys('Alibaba ships Qwen3.6-Max')).toEqual(['qwen@3.6+max']);
    expect(keys('DeepSeek V3.2-Exp halves API prices')).toEqual(['deepseek@3.2~exp']);
    expect(keys('Gemini 3.0 Pro and Gemini 3 Pro are one name')).toEqual(['gemini@3+pro']);
  });

  it('gives versionless lines a family key (gpt-oss, QwQ, Kimi K2)', () => {
    expect(keys('OpenAI releases gpt-oss-120b')).toContain('gpt-oss@*');
    expect(keys('QwQ-32B-Preview arrives')).toEqual(['qwq@*~preview']);
    expect(keys('Moonshot AI launches Kimi K2')).toEqual(['kimi@k2']);
  });

  it('sets aside models named as a comparison', () => {
    const m = matcher.match('DeepSeek-V3.2 matches GPT-5 with open weights').models;
    expect(m.find((x) => x.key === 'gpt@5')?.comparison).toBe(true);
    expect(m.find((x) => x.key === 'deepseek@3.2')?.comparison).toBe(false);
    expect(matcher.match('Grok3超越DeepSeek').about).toEqual(['xai']);
    expect(matcher.match('Alibaba launches QwQ-32B to rival OpenAI’s o1').about).toEqual(['alibaba']);
  });
});

describe('relateModels', () => {
  it.each([
    ['deepseek@r1', 'deepseek@r1', 'same'],
    ['deepseek@r1', 'deepseek@r1~0528', 'compatible'],
    ['deepseek@r1~0528', 'deepseek@r1+lite~preview', 'conflict'],
    ['deepseek@3.1', 'deepseek@3.2', 'conflict'],
    ['deepseek@3.2', 'deepseek@3.2~exp', 'compatible'],
    ['qwen@3.6+coder', 'qwen@3.6+max', 'compatible'],
    ['qwen@3+max', 'qwen@3+max~preview', 'compatible'],
    ['qwen@3+coder~next', 'qwen@3+coder', 'compatible'],
    ['gemini@3', 'gemini@3+pro', 'compatible'],
    ['kimi@*', 'kimi@k2.5', 'compatible'],
    ['gpt@4.1', 'o-series@o3', 'unrelated'],
  ])('%s vs %s → %s', (a, b, want) => {
    expect(relate(a, b)).toBe(want);
    expect(relate(b, a)).toBe(want);
  });
});
