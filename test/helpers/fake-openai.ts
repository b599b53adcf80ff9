import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen-loopback.js';

/** A chat-completions request as the fake server received it. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  max_tokens?: number;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; json?: unknown; raw?: string }
  | 'hang'
  | 'reset';

export type Behaviour = (req: ChatRequest, n: number) => Reply;

/** Story ids announced in a summarize prompt. */
export function storyIds(req: ChatRequest): string[] {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/<<<STORY id=(\S+)/g)].map((m) => m[1] as string);
}

/** Token counts the way a real server reports them, roughly four characters a token. */
export function usageOf(req: ChatRequest, completion: string) {
  const prompt = Math.ceil(req.messages.reduce((n, m) => n + m.content.length, 0) / 4);
  return {
    prompt_tokens: prompt,
    completion_tokens: Math.ceil(completion.length / 4),
    total_tokens: prompt + Math.ceil(completion.length / 4),
  };
}

/** A well-formed chat completion whose message content is `content`. */
export function completion(req: ChatRequest, content: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_780_000_000,
    model: req.model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null, ...extra } }],
    usage: usageOf(req, content),
  };
}

/** The default behaviour: a summary for every story in the prompt. */
export const summarizeAll: Behaviour = (req) => {
  const summaries = storyIds(req).map((id) => ({
    id,
    headline: `Headline ${id}`,
    summary: `Model summary of story ${id}: a lab shipped a model and outlets reported it.`,
  }));
  return { json: completion(req, JSON.stringify({ summaries })) };
};

/** A fake OpenAI-compatible server on loopback; records every request and lets a test script replies. */
export async function startFakeOpenAI(behaviour: Behaviour = summarizeAll) {
  const requests: ChatRequest[] = [];
  let current = behaviour;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') return void res.writeHead(404).end('{}');
    const parsed = JSON.parse(body) as ChatRequest;
    requests.push(parsed);
    const reply = current(parsed, requests.length);
    if (reply === 'hang') return;
    if (reply === 'reset') return void req.socket.destroy();
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setBehaviour(b: Behaviour) {
      current = b;
    },
    async close() {
      await close();
    },
  };
}
