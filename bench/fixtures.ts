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
