import { describe, expect, it } from 'vitest';
import { foldForMatch } from '../../src/catalog/fold.js';
import { createEntityMatcher } from '../../src/catalog/match-entities.js';
import { itemFeatures } from '../../src/stories/item-features.js';
import { matchStory, storySubjects } from '../../src/stories/match-story.js';
import { isProspective } from '../../src/stories/prospective.js';
import { extractQuantities, extractTickers } from '../../src/stories/quantities.js';
import { addToProfile, startProfile } from '../../src/stories/story-profile.js';

const matcher = createEntityMatcher();
const q = (s: string) => extractQuantities(foldForMatch(s));

describe('quantities tie reports across languages', () => {
  it('reads one amount however it is written', () => {
    for (const s of ['$500 billion', 'US$500bn', '500.000 millones de dólares', '5000亿美元', '5.000 億美元'])
      expect(q(s)).toEqual(['q:50e10']);
    for (const s of ['671B parameters', '671 billion parameters', '6710亿参数']) expect(q(s)).toEqual(['q:67e10']);
    for (const s of ['1 trillion parameters', '1T+', '1 万亿参数', '1 trilhão de parâmetros', '1 трлн'])
      expect(q(s)).toEqual(['q:10e11']);
    expect(q('32.5 billion parameters')).toEqual(q('320 亿参数'));
    expect(q('1.200 millones de dólares')).toEqual(q('$1.2 billion'));
  });

  it('leaves out plain counts, years and small percentages', () => {
    expect(q('In 2025, 3 labs shipped 12 models; shares rose 8.4%')).toEqual([]);
    expect(q('shares soared 109% on debut')).toEqual(['q:109%']);
  });

  it('reads stock tickers', () => {
    expect(extractTickers(foldForMatch('Zhipu (02513.HK) lists'))).toEqual(['t:2513']);
    expect(extractTickers(foldForMatch('智谱(02513-HK)今日上市'))).toEqual(['t:2513']);
    expect(extractTickers(foldForMatch('股票代码2513'))).toEqual(['t:2513']);
  });
});

describe('a promised release is not the release', () => {
  it.each([
    ['Musk says Grok 3 is in its final stages and will be launched in one to two weeks', true],
    ['DeepSeek is expected to release R2 in May', true],
    ['阿里即将发布新一代模型', true],
    ['xAI launches Grok 3, "the smartest AI on Earth"', false],
    ['OpenAI released GPT-4.5 on Thursday; a larger model will be released later', false],
  ])('%s → %s', (text, want) => {
    expect(isProspective(foldForMatch(text))).toBe(want);
  });
});

const DAY = 86_400_000;
const at = (d: number) => new Date(Date.UTC(2026, 0, 10) + d * DAY).toISOString();
const features = (title: string, text: string, day: number) =>
  itemFeatures({ title, text, publishedAt: at(day) }, matcher.match(title, text));
const idf = () => 1;

describe('matchStory', () => {
  const release = features(
    'DeepSeek releases DeepSeek-V4 with open weights',
    'The 1.6 trillion-parameter model is on Hugging Face.',
    0,
  );
  const story = startProfile(1, release);

  it('joins the same model within three weeks, in any language', () => {
    const zh = features('DeepSeek-V4 发布：开源权重', '深度求索发布 1.6 万亿参数模型。', 12);
    expect(matchStory(zh, story, idf)?.tie).toBe('same');
    expect(matchStory(features('DeepSeek-V4 explained', '', 25), story, idf)).toBeNull();
  });

  it('never joins another version or edition of the line', () => {
    expect(matchStory(features('DeepSeek-V3.2 adds sparse attention', '', 1), story, idf)).toBeNull();
    expect(matchStory(features('DeepSeek-V4-Exp lands', '', 1), story, idf)?.tie).toBe('compatible');
  });

  it('keeps the promise of a release apart from the release', () => {
    const promise = startProfile(2, features('DeepSeek-V5 will be released within two weeks, Liang says', '', 0));
    expect(matchStory(features('DeepSeek launches DeepSeek-V5', '', 5), promise, idf)).toBeNull();
  });

  it('lets a report without a model join on names and figures only for a few days', () => {
    const stargate = startProfile(
      3,
      features(
        'Trump announces Stargate with SoftBank, Oracle and OpenAI',
        'A $500 billion AI infrastructure venture.',
        0,
      ),
    );
    const es = features(
      'Trump presenta Stargate',
      'OpenAI, SoftBank y Oracle invertirán 500.000 millones de dólares en infraestructura.',
      1,
    );
    expect(matchStory(es, stargate, idf)?.tie).toBe('none');
    const later = features('Stargate', 'OpenAI, SoftBank y Oracle invertirán 500.000 millones de dólares.', 9);
    expect(matchStory(later, stargate, idf)).toBeNull();
  });

  it('treats a shortened name beside a more specific one as related, not the same release', () => {
    const p = startProfile(4, features('Alibaba releases Qwen3-Max-Preview', '', 0));
    addToProfile(p, features('Alibaba’s Qwen3-Max is its first trillion-parameter model', '', 1));
    expect(storySubjects(p.subjects.keys())).toEqual(['alibaba|qwen@3+max~preview']);
    expect(matchStory(features('Alibaba launches Qwen3-Max at its cloud conference', '', 18), p, idf)).toBeNull();
  });
});

describe('one lab in common is not one event', () => {
  it('keeps apart a day of unrelated reports about the same lab', () => {
    const headlines = [
      ['DeepSeek hires a new head of research', 'The Hangzhou lab named a former professor to lead its research team.'],
      ['DeepSeek app tops the App Store in Japan', 'The chatbot app climbed to first place among free apps.'],
      ['DeepSeek faces a lawsuit over data practices', 'A consumer group filed suit in a Texas court on Monday.'],
      ['DeepSeek opens an office in Singapore', 'The company is hiring engineers for its first office abroad.'],
      ['DeepSeek publishes a paper on sparse attention', 'The paper describes a kernel that halves inference cost.'],
      ['DeepSeek raises prices for its API', 'Output tokens will cost twice as much from next month.'],
    ].map(([title, text], i) => features(title as string, text as string, i % 2));
    const first = startProfile(10, headlines[0] as ReturnType<typeof features>);
    for (const f of headlines.slice(1)) expect(matchStory(f, first, idf)).toBeNull();
  });
});
