import { z } from 'zod';

const channel = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD')
  .optional()
  .describe('A Slack channel id: its language and topic words are used, as /ai-news would in that channel');
const days = z
  .union([z.literal(1), z.literal(7), z.literal(14), z.literal(30), z.literal(90)])
  .optional()
  .describe('Window in days (default 7)');
const nullableString = z.string().nullable();

/** One read-only tool: its schemas and the command-core words it runs. No tool has logic of its own. */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  input: z.ZodRawShape;
  output: z.ZodObject;
  /** The command the tool runs (it is offered only when the command core has it). */
  command: string;
  words(args: Record<string, unknown>): string[];
  channel?(args: Record<string, unknown>): string | undefined;
}

/** Free text as command words; a word that looks like a flag is dropped so text cannot change the command. */
const text = (s: unknown) =>
  String(s ?? '')
    .split(/\s+/)
    .filter((w) => w && !w.startsWith('--'));
const windowWord = (d: unknown) => (typeof d === 'number' ? [`${d}d`] : []);
const channelOf = (a: Record<string, unknown>) => (typeof a.channel === 'string' ? a.channel : undefined);

/**
 * The MCP tools, each a thin wrapper over one read command of the /ai-news grammar. A command another
 * branch adds is offered here by adding its entry (e.g. `share`, issue 14); entries whose command the
 * core does not have are not registered.
 */
export const MCP_TOOLS: McpTool[] = [
  {
    name: 'search',
    title: 'Search AI model news',
    description:
      'Stories in the archive matching a query, newest first. Understands labs and models (Qwen finds 通义千问), time words (this week, last 30 days), origin (China, US, EU) and openness (open, closed).',
    input: { query: z.string().min(1).max(500).describe('What to look for, e.g. "open models from China this week"') },
    output: z.looseObject({
      query: z.string(),
      results: z.array(
        z.looseObject({
          id: z.number(),
          title: z.string(),
          publishedAt: z.string(),
          sources: z.number(),
          summary: nullableString,
          url: nullableString,
        }),
      ),
    }),
    command: 'search',
    words: (a) => ['search', ...text(a.query)],
  },
  {
    name: 'ask',
    title: 'Ask the AI model news archive',
    description:
      'A grounded answer with numbered citations to stored stories, in the question’s language; the plain "nothing on this" when the archive has nothing; the matching stories when no model is configured.',
    input: {
      question: z.string().min(1).max(2000).describe('The question, e.g. "What did DeepSeek ship this week?"'),
      channel,
    },
    output: z.looseObject({
      question: z.string(),
      kind: z.enum(['answer', 'results', 'nothing']),
      text: z.string(),
      citations: z.array(z.looseObject({ n: z.number(), storyId: z.number(), title: z.string(), url: nullableString })),
      language: z.string(),
      model: nullableString,
    }),
    command: 'ask',
    words: (a) => ['ask', ...text(a.question)],
    channel: channelOf,
  },
  {
    name: 'models',
    title: 'Model releases',
    description:
      'New models listed in model catalogues (OpenRouter) in the window: lab, origin, openness, context window, prices, link.',
    input: { days },
    output: z.looseObject({
      days: z.number(),
      releases: z.array(z.looseObject({ modelId: z.string(), name: z.string() })),
      groups: z.array(z.looseObject({ origin: z.string(), openness: z.string(), count: z.number() })),
    }),
    command: 'models',
    words: (a) => ['models', ...windowWord(a.days)],
  },
  {
    name: 'trends',
    title: 'Ecosystem trends',
    description:
      'Share of news coverage by lab, origin and openness over the window, against the window before (coverage, not usage).',
    input: { days },
    output: z.looseObject({
      days: z.number(),
      from: z.string(),
      to: z.string(),
      stories: z.number(),
      labs: z.array(z.looseObject({ key: z.string(), name: z.string(), share: z.number() })),
      origins: z.array(z.looseObject({ key: z.string(), share: z.number() })),
      openness: z.array(z.looseObject({ key: z.string(), share: z.number() })),
    }),
    command: 'trends',
    words: (a) => ['trends', ...windowWord(a.days)],
  },
  {
    name: 'share',
    title: 'Usage share',
    description: 'Token share by origin and openness (OpenRouter rankings) against the window before.',
    input: {
      days: z
        .union([z.literal(7), z.literal(30)])
        .optional()
        .describe('Window in days (default 7)'),
    },
    output: z.looseObject({}),
    command: 'share',
    words: (a) => ['share', ...windowWord(a.days)],
  },
  {
    name: 'stories',
    title: 'Recent stories',
    description: 'Stories first seen or updated in the window, with their sources, summary and how it was summarized.',
    input: {
      since: z
        .string()
        .regex(/^\d+\s*(m|min|h|d|w)$/i, 'a duration such as 24h, 7d or 90m')
        .optional()
        .describe('How far back, e.g. 24h (default) or 7d'),
    },
    output: z.looseObject({
      since: z.string(),
      stories: z.array(
        z.looseObject({
          id: z.number(),
          title: z.string(),
          publishedAt: z.string(),
          summary: nullableString,
          sources: z.array(z.looseObject({ title: z.string(), url: nullableString })),
        }),
      ),
    }),
    command: 'stories',
    words: (a) => ['stories', '--since', typeof a.since === 'string' ? a.since : '24h'],
  },
  {
    name: 'digest_preview',
    title: 'Digest preview',
    description:
      'The digest a channel would get now (top stories, new models, ecosystem pulse), without posting anything.',
    input: {
      window: z
        .enum(['24h', '7d'])
        .optional()
        .describe('The window (default: since the channel’s last digest, or 24h)'),
      channel,
    },
    output: z.looseObject({
      text: z.string(),
      window: z.looseObject({ from: z.string(), to: z.string() }),
      stories: z.array(z.looseObject({ id: z.number(), title: z.string() })),
      newModels: z.array(z.looseObject({ name: z.string() })),
      pulse: z.string(),
    }),
    command: 'digest',
    words: (a) => ['digest', 'preview', ...(typeof a.window === 'string' ? [a.window] : [])],
    channel: channelOf,
  },
];
