/** Deterministic synthetic feeds for benchmarks: realistic sizes, HTML bodies, varied titles. */
const LABS = [
  'Qwen',
  'DeepSeek',
  'Kimi',
  'MiniMax',
  'GLM',
  'Mistral',
  'Llama',
  'Gemma',
  'gpt-oss',
  'Claude',
  'Gemini',
  'Grok',
];
const VERBS = ['releases', 'open-sources', 'previews', 'benchmarks', 'prices', 'updates', 'deprecates', 'fine-tunes'];

/** A pseudo-random generator with a fixed seed, so every run measures the same bytes. */
export function rng(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticItems(n: number, seed = 1) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const lab = LABS[Math.floor(r() * LABS.length)] as string;
    const verb = VERBS[Math.floor(r() * VERBS.length)] as string;
    const version = `${Math.floor(r() * 6)}.${Math.floor(r() * 10)}`;
    const title = `${lab} ${verb} ${lab}-${version} with ${Math.floor(r() * 900 + 100)}B parameters (${i})`;
    const para = `${lab} said the ${lab}-${version} model improves reasoning and coding, with a context window of ${Math.floor(r() * 1000)}k tokens.`;
    // Article bodies of 2 to 9 paragraphs: about 2.5 KB an item, near the real-world feeds in the corpus.
    const paragraphs = Array.from(
      { length: 2 + Math.floor(r() * 8) },
      (_, k) =>
        `<p>${k === 0 ? para : `In ${['Beijing', 'Paris', 'San Francisco', 'Hangzhou'][k % 4]}, analysts <em>compared</em> it with ${LABS[(k * 7 + i) % LABS.length]} on ${['MMLU', 'SWE-bench', 'LiveCodeBench', 'GPQA'][k % 4]}; the gap was ${(r() * 10).toFixed(1)} points, and <a href="https://example.com/${i}/${k}">the report</a> notes the licence terms.`}</p>`,
    ).join('');
    const html = `${paragraphs}<p>The weights are ${r() > 0.5 ? 'available under Apache-2.0' : 'not published'}; pricing starts at $${(r() * 3).toFixed(2)} per million tokens.</p><p><a href="https://example.com/${i}">Read more</a></p>`;
    const date = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toUTCString();
    return {
      title,
      link: `https://news${i % 50}.example.com/posts/${i}?utm_source=rss`,
      guid: `tag:bench,2026:${seed}:${i}`,
      date,
      html,
    };
  });
}

export function rssDocument(items: ReturnType<typeof syntheticItems>, title = 'Bench feed'): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><guid isPermaLink="false">${i.guid}</guid><pubDate>${i.date}</pubDate><description>${esc(i.html)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link>\n${body}\n</channel></rss>`;
}

const EVENTS = [
  ['DeepSeek', 'DeepSeek', 'V4', 'a 1.6-trillion-parameter mixture-of-experts model under MIT'],
  ['Alibaba', 'Qwen', '3.5', 'an Apache-licensed family topped by a 397B model'],
  ['Moonshot AI', 'Kimi', 'K2.6', 'better long-horizon agentic coding'],
  ['Zhipu', 'GLM', '5.2', 'open weights under the MIT licence'],
  ['Mistral AI', 'Mistral Large', '3', 'a 675B open-weight model for Europe'],
  ['OpenAI', 'GPT', '5.5', 'a faster Instant mode for ChatGPT'],
  ['Google', 'Gemini', '3.1 Pro', 'stronger reasoning in preview'],
  ['Google', 'Gemma', '4', 'its first Apache-licensed Gemma release'],
  ['Anthropic', 'Claude Opus', '4.7', 'better tool use for agents'],
  ['xAI', 'Grok', '4.3', 'a cheaper API tier'],
  ['NVIDIA', 'Nemotron', '3 Super', 'open training data and recipes'],
  ['MiniMax', 'MiniMax-M', '2.7', 'an agent-focused model'],
  ['Baidu', 'ERNIE', '5.0', 'a closed multimodal flagship'],
  ['Tencent', 'Hunyuan', 'Hy3', 'an open-weight preview'],
  ['StepFun', 'Step', '3.7 Flash', 'fast inference for agents'],
  ['Xiaomi', 'MiMo', 'V2.5', 'open weights for on-device use'],
  ['Meta', 'Muse', 'Spark', 'a closed model from its superintelligence lab'],
  ['Microsoft', 'Phi', '5', 'a small reasoning model'],
  ['IBM', 'Granite', '4.1', 'enterprise models under Apache 2.0'],
  ['Cohere', 'Command A', 'Plus', 'a commercial model for retrieval'],
] as const;
const OUTLETS = ['TechCrunch', 'The Verge', 'The Decoder', 'VentureBeat', 'Ars Technica'];
const HEADLINES = [
  (l: string, m: string, v: string, f: string) => `${l} releases ${m} ${v}, ${f}`,
  (l: string, m: string, v: string) => `${m} ${v} is here: what ${l}'s new model can do`,
  (l: string, m: string, v: string, f: string) => `${l} unveils ${m} ${v} with ${f.replace(/^an? /, '')}`,
  (l: string, m: string, v: string) => `Hands-on with ${m} ${v}, ${l}'s latest model`,
  (l: string, m: string, v: string) => `${l}'s ${m} ${v} raises the bar for rivals`,
];

/**
 * A day of AI news: 20 events, each covered by one to five outlets (three on average), every report
 * about 1,500 characters. Deterministic, so token counts compare across runs.
 */
export function newsDay(
  seed = 7,
): { outlet: string; title: string; text: string; link: string; guid: string; date: string }[] {
  const r = rng(seed);
  const out: { outlet: string; title: string; text: string; link: string; guid: string; date: string }[] = [];
  EVENTS.forEach(([lab, model, version, feature], e) => {
    const coverage = 1 + ((e * 7) % 5);
    for (let k = 0; k < coverage; k++) {
      const outlet = OUTLETS[k] as string;
      const headline = (
        HEADLINES[(e + k) % HEADLINES.length] as (a: string, b: string, c: string, d: string) => string
      )(lab, model, version, feature);
      const sentences = [
        `${lab} on Tuesday announced ${model} ${version}, ${feature}.`,
        `The company said ${model} ${version} improves on its predecessor in coding, math and multilingual benchmarks, and that it is available ${r() > 0.5 ? 'through its API and app' : 'as a download on Hugging Face'}.`,
        `${outlet} tested the model on a set of programming tasks and found it ${r() > 0.5 ? 'competitive with the leading closed models' : 'fast but uneven on long documents'}.`,
        `Pricing starts at $${(r() * 2).toFixed(2)} per million input tokens, according to the company's documentation.`,
        `Analysts said the release adds pressure on rivals in ${['the United States', 'China', 'Europe'][e % 3]}, where several labs are expected to ship updates in the coming weeks.`,
        `${lab} did not disclose the size of the training data, but said the model was trained on ${['NVIDIA', 'Huawei Ascend', 'TPU'][e % 3]} hardware.`,
        `The launch follows a string of releases this year that narrowed the gap between open-weight and closed models.`,
        `Developers can try ${model} ${version} today; enterprise plans follow next month.`,
      ];
      out.push({
        outlet,
        title: headline,
        text: sentences.join(' '),
        link: `https://${outlet.toLowerCase().replace(/\W+/g, '')}.example/${e}-${k}`,
        guid: `${outlet}-${e}`,
        date: new Date(Date.UTC(2026, 10, 24, 6 + (e % 12), k * 7)).toUTCString(),
      });
    }
  });
  return out;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'to',
  'sa',
  'vi',
  'del',
  'po',
  'zu',
  'an',
  'ter',
  'qi',
  'mor',
  'ba',
  'ne',
  'lu',
  'ix',
  'ga',
  'fen',
];

/**
 * Items with a realistic spread: about two reports per event (shared headline words), otherwise varied
 * vocabulary, so clustering and tagging do the work they do on real feeds rather than on templates.
 */
export function diverseItems(n: number, seed = 5, offset = 0) {
  const r = rng(seed);
  const word = (k: number) => {
    let w = '';
    for (let j = 0; j < 2 + (k % 3); j++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    return w;
  };
  return Array.from({ length: n }, (_, i) => {
    const id = offset + i;
    const event = Math.floor(id / 2);
    const er = rng(event + 1);
    const syl = () => SYLLABLES[Math.floor(er() * SYLLABLES.length)] as string;
    const eventWords = Array.from({ length: 4 }, () => syl() + syl() + syl());
    const lab = LABS[event % LABS.length] as string;
    const title = `${lab} ${eventWords.join(' ')} ${word(id)}`;
    const lead = `<p>${lab} said ${eventWords.join(' ')} today, ${eventWords.slice(0, 2).join(' ')} included.</p>`;
    const html =
      lead +
      Array.from({ length: 3 }, () => `<p>${Array.from({ length: 40 }, (_, k) => word(k)).join(' ')}.</p>`).join('');
    return {
      title,
      link: `https://n${id % 97}.example/${id}`,
      guid: `d:${id}`,
      date: new Date(Date.UTC(2026, 10, 20) + id * 5000).toUTCString(),
      html,
    };
  });
}

/**
 * Reports that pile into a few big stories: item `i` belongs to story `i % groups`, links to that
 * story's one URL and shares its wording, the shape that made every join recount its whole story.
 */
export function bigStoryItems(n: number, offset = 0, groups = 8) {
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    const g = i % groups;
    const lab = LABS[g % LABS.length] as string;
    const [, model, version, feature] = EVENTS[g % EVENTS.length] as readonly [string, string, string, string];
    return {
      title: `${lab} ships ${model} ${version}: report ${i}`,
      link: `https://wire${g}.example/story`,
      guid: `big:${i}`,
      date: new Date(Date.UTC(2026, 10, 20) + i * 1000).toUTCString(),
      html: `<p>${lab} released ${model} ${version}, ${feature}. Report number ${i} from the wire.</p><p>The company said ${model} ${version} improves coding and reasoning benchmarks.</p>`,
    };
  });
}
