import { describe, expect, it } from 'vitest';
import { OFFLINE_MAX_CHARS, summarizeOffline } from '../../src/summarize/offline-summarizer.js';
import { stripControlSequences } from '../../src/summarize/sanitize-text.js';

const src = (text: string, language = 'en', title = 't') => ({ title, text, feed: 'Feed', url: null, language });

describe('summarizeOffline', () => {
  it('keeps the sentences that say what happened, in reading order, within the cap', () => {
    const text = [
      'DeepSeek released DeepSeek-V4 on Friday, a 1.6-trillion-parameter mixture-of-experts model.',
      'The weights are published on Hugging Face under the MIT licence.',
      'Subscribe to our newsletter for more AI news.',
      'DeepSeek said V4 matches leading closed models on coding benchmarks while costing far less to run.',
      'Our reporter tried the app over the weekend and liked the colours.',
      'Photo: Getty Images.',
    ].join(' ');
    const { summary, language } = summarizeOffline({
      key: '1',
      title: 'DeepSeek releases V4 under MIT',
      sources: [src(text)],
    });
    expect(summary.length).toBeLessThanOrEqual(OFFLINE_MAX_CHARS);
    expect(summary.startsWith('DeepSeek released DeepSeek-V4 on Friday')).toBe(true);
    expect(summary).toMatch(/MIT licence/);
    expect(summary).not.toMatch(/newsletter|Getty/);
    const sentences = summary.split(/(?<=\.)\s+/);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);
    expect(language).toBe('en');
  });

  it('prefers what several sources agree on', () => {
    const a =
      'Mistral AI launched Mistral Large 3 under Apache 2.0 on Tuesday. The company also opened an office in Singapore last year.';
    const b =
      'Mistral Large 3 is released under Apache 2.0 with open weights, the Paris company said. Its chief executive spoke at a conference.';
    const { summary } = summarizeOffline({ key: '1', title: 'Mistral Large 3 arrives', sources: [src(a), src(b)] });
    expect(summary).toMatch(/Mistral AI launched Mistral Large 3 under Apache 2\.0/);
    expect(summary).not.toMatch(/Singapore/);
  });

  it('works in Spanish and Chinese, keeping the source language', () => {
    const es = summarizeOffline({
      key: '1',
      title: 'Alibaba lanza Qwen3.5',
      sources: [
        src(
          'Alibaba lanzó Qwen3.5, un modelo de pesos abiertos con licencia Apache 2.0. El modelo tiene 397.000 millones de parámetros. Suscríbete a nuestro boletín.',
          'es',
        ),
      ],
    });
    expect(es.summary).toMatch(/^Alibaba lanzó Qwen3\.5/);
    expect(es.summary).not.toMatch(/Suscríbete/);
    expect(es.language).toBe('es');
    const zh = summarizeOffline({
      key: '2',
      title: '月之暗面发布Kimi K2.6',
      sources: [
        src(
          '月之暗面今天发布了Kimi K2.6模型，采用修改版MIT许可证开放权重。该模型在编程和智能体任务上表现更好。关注我们获取更多资讯。',
          'zh',
        ),
      ],
    });
    expect(zh.summary).toMatch(/^月之暗面今天发布了Kimi K2\.6模型/);
    expect(zh.summary).not.toMatch(/关注我们/);
  });

  it('falls back to the text, then the title, when there are no usable sentences', () => {
    expect(summarizeOffline({ key: '1', title: 'Only a headline', sources: [src('')] }).summary).toBe(
      'Only a headline',
    );
    expect(summarizeOffline({ key: '1', title: 'x', sources: [src('Short note')] }).summary).toBe('Short note');
  });

  it('never keeps Slack control sequences from feed text', () => {
    const text =
      '<!channel> OpenAI released gpt-oss-120b with open weights under Apache 2.0 today. <@U0123ABC> says <https://evil.example|the docs> explain how to run it locally.';
    const { summary } = summarizeOffline({ key: '1', title: 'gpt-oss', sources: [src(text)] });
    expect(summary).not.toMatch(/<!|<@|evil/);
    expect(summary).toMatch(/gpt-oss-120b/);
  });
});

describe('stripControlSequences', () => {
  it.each([
    ['<!channel> hi', 'hi'],
    ['<!here|here> hi', 'hi'],
    ['<!everyone> hi', 'hi'],
    ['hi <@U123ABC>', 'hi'],
    ['hi <#C123|general>', 'hi'],
    ['<!subteam^S123|@eng> hi', 'hi'],
    ['<!date^1392734382^{date}|Feb 18> hi', 'hi'],
    ['see <https://evil.example|docs>', 'see docs'],
    ['see <javascript:alert(1)|docs>', 'see docs'],
    ['ping @channel now', 'ping channel now'],
  ])('%s', (input, expected) => {
    expect(stripControlSequences(input)).toBe(expected);
  });

  it('drops URLs that are not among the allowed sources', () => {
    const allowed = new Set(['https://ok.example/a']);
    expect(stripControlSequences('read https://ok.example/a and https://bad.example/b.', allowed)).toBe(
      'read https://ok.example/a and.',
    );
  });
});
