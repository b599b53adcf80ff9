import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listen-loopback.js';

/** A message as the fake Slack stores it. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

/** What the assistant pane shows for one thread: set through assistant.threads.*. */
export interface FakeAssistantThread {
  status?: string;
  title?: string;
  prompts?: { title: string; message: string }[];
  promptsTitle?: string;
}

/** What a scripted fault does to one call. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'error'; error: string }
  | { kind: 'hang' }
  | { kind: 'accept-then-hang' }
  | { kind: 'accept-then-status'; status: number };

/** A file uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  title?: string;
  bytes?: Buffer;
  /** Set when the upload was completed into a channel (and thread). */
  channel?: string;
  threadTs?: string;
  initialComment?: string;
}

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** The token the call was made with (Authorization: Bearer …, else a `token` field), '' without one. */
  token: string;
}

/** The token a call carries, as Slack reads it. */
function tokenOf(headers: IncomingMessage['headers'], body: Record<string, unknown>): string {
  const auth = headers.authorization ?? '';
  return auth.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : '';
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = v === 'true' ? true : v === 'false' ? false : /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/**
 * A fake Slack Web API on loopback: records calls, stores posted messages with their metadata, answers
 * auth.test, users.info, chat.postMessage, conversations.history/replies, views.publish/open/update,
 * file uploads (files.getUploadURLExternal hands out an upload URL on this server, then
 * files.completeUploadExternal shares the file), assistant.threads.setStatus/setSuggestedPrompts/setTitle (kept
 * per thread, checked as Slack does), and plays scripted faults (429 with Retry-After, 500, Slack error codes,
 * hangs) per method.
 */
export async function startFakeSlack(
  options: {
    admins?: string[];
    owners?: string[];
    onAccept?: (m: FakeMessage) => void;
    now?: () => Date;
    socketUrl?: string;
    /** OAuth: the app credentials oauth.v2.access accepts (any when unset). */
    clientId?: string;
    clientSecret?: string;
    /**
     * OAuth with token rotation: installed bot tokens expire after this long, with a refresh token;
     * refreshed ones after 12 hours. @unit seconds
     */
    tokenExpiresIn?: number;
  } = {},
) {
  const calls: RecordedCall[] = [];
  const messages: FakeMessage[] = [];
  const files = new Map<string, FakeFile>();
  let origin = '';
  const faults = new Map<string, Fault[]>();
  const assistantThreads = new Map<string, FakeAssistantThread>();
  const held: ServerResponse[] = [];
  let seq = 0;
  /** Tokens oauth.v2.access handed out (and refresh tokens), by the team they act for. */
  const tokens = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  let issued = 0;
  const issue = (team: string, refreshed = false) => {
    issued += 1;
    const token = `xoxb-${team}-${issued}`;
    tokens.set(token, team);
    const refresh = `xoxe-1-${team}-${issued}`;
    if (options.tokenExpiresIn !== undefined) refreshTokens.set(refresh, team);
    return {
      access_token: token,
      ...(options.tokenExpiresIn !== undefined
        ? { refresh_token: refresh, expires_in: refreshed ? 43_200 : options.tokenExpiresIn }
        : {}),
    };
  };
  const ok = (res: ServerResponse, body: Record<string, unknown>) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, ...body }));
  };
  const server = createServer(async (req, res) => {
    // The upload URL files.getUploadURLExternal hands out: raw bytes, on this same loopback server.
    const upload = /^\/upload\/(F\w+)$/.exec(req.url ?? '');
    if (upload) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const file = files.get(upload[1] as string);
      if (!file || req.method !== 'POST') return void res.writeHead(404).end('no such upload');
      const raw = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      // Slack's upload URL takes the bytes raw or as a multipart form (the SDK sends a form with one file).
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
        const part = [...form.values()].find((v) => typeof v !== 'string');
        file.bytes = part ? Buffer.from(await (part as Blob).arrayBuffer()) : Buffer.alloc(0);
      } else file.bytes = raw;
      calls.push({
        method: 'upload',
        body: { file: file.id, bytes: file.bytes.length },
        headers: req.headers,
        token: tokenOf(req.headers, {}),
      });
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] as string;
    const body = await readBody(req);
    calls.push({ method, body, headers: req.headers, token: tokenOf(req.headers, body) });
    const fault = faults.get(method)?.shift();
    const accept = (): FakeMessage => {
      seq += 1;
      const seconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      const m: FakeMessage = {
        channel: String(body.channel),
        ts: `${seconds}.${String(seq).padStart(6, '0')}`,
        text: String(body.text ?? ''),
        blocks: body.blocks as unknown[] | undefined,
        thread_ts: body.thread_ts as string | undefined,
        metadata: body.metadata as FakeMessage['metadata'],
        unfurl_links: body.unfurl_links as boolean | undefined,
        unfurl_media: body.unfurl_media as boolean | undefined,
      };
      messages.push(m);
      options.onAccept?.(m);
      return m;
    };
    if (fault?.kind === 'status')
      return void res
        .writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
        .end('{"ok":false}');
    if (fault?.kind === 'error')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: fault.error }));
    if (fault?.kind === 'hang') return void held.push(res);
    if (fault?.kind === 'accept-then-hang') {
      accept();
      return void held.push(res);
    }
    if (fault?.kind === 'accept-then-status') {
      accept();
      return void res.writeHead(fault.status).end('oops');
    }
    switch (method) {
      case 'auth.test': {
        // A token oauth.v2.access issued acts for its own team; any other for T1.
        const team = tokens.get(tokenOf(req.headers, body));
        return team
          ? ok(res, { user_id: `UBOT${team}`, team_id: team, bot_id: `B${team}`, url: `https://${team}.slack.test/` })
          : ok(res, { user_id: 'UBOT', team_id: 'T1', bot_id: 'B1' });
      }
      case 'oauth.v2.access': {
        // Client credentials come as a form (or as HTTP Basic auth, which Slack also accepts).
        const basic = (req.headers.authorization ?? '').startsWith('Basic ')
          ? Buffer.from((req.headers.authorization as string).slice(6), 'base64')
              .toString()
              .split(':')
          : [];
        const clientId = body.client_id ?? basic[0];
        const clientSecret = body.client_secret ?? basic[1];
        const fail = (error: string) =>
          void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error }));
        if (options.clientId !== undefined && clientId !== options.clientId) return fail('invalid_client_id');
        if (options.clientSecret !== undefined && clientSecret !== options.clientSecret)
          return fail('bad_client_secret');
        if (body.grant_type === 'refresh_token') {
          const team = refreshTokens.get(String(body.refresh_token));
          if (!team) return fail('invalid_refresh_token');
          refreshTokens.delete(String(body.refresh_token));
          return ok(res, { token_type: 'bot', ...issue(team, true) });
        }
        // A code names its workspace: `code-T2` installs into T2, once.
        const m = /^code-(T\w+)$/.exec(String(body.code ?? ''));
        if (!m) return fail('invalid_code');
        const team = m[1] as string;
        return ok(res, {
          app_id: 'A1',
          authed_user: { id: `UINSTALLER${team}` },
          scope: 'commands,chat:write',
          token_type: 'bot',
          bot_user_id: `UBOT${team}`,
          team: { id: team, name: `Team ${team}` },
          enterprise: null,
          is_enterprise_install: false,
          ...issue(team),
        });
      }
      case 'users.info': {
        const user = String(body.user);
        return ok(res, {
          user: {
            id: user,
            is_admin: options.admins?.includes(user) ?? false,
            is_owner: options.owners?.includes(user) ?? false,
          },
        });
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const m = accept();
        return ok(res, { channel: m.channel, ts: m.ts, message: { text: m.text } });
      }
      case 'conversations.history': {
        const list = messages.filter(
          (m) => m.channel === body.channel && !m.thread_ts && Number(m.ts) >= Number(body.oldest ?? 0),
        );
        return ok(res, {
          messages: list
            .map((m) => ({ ts: m.ts, text: m.text, ...(body.include_all_metadata ? { metadata: m.metadata } : {}) }))
            .reverse(),
          has_more: false,
        });
      }
      case 'conversations.replies': {
        const list = messages.filter(
          (m) => m.channel === body.channel && (m.ts === body.ts || m.thread_ts === body.ts),
        );
        return ok(res, {
          messages: list.map((m) => ({
            ts: m.ts,
            text: m.text,
            thread_ts: m.thread_ts,
            ...(body.include_all_metadata ? { metadata: m.metadata } : {}),
          })),
        });
      }
      case 'views.publish':
      case 'views.open':
      case 'views.update':
        return ok(res, { view: { id: 'V1', ...(body.view as object) } });
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle': {
        const channel = body.channel_id;
        const thread = body.thread_ts;
        if (typeof channel !== 'string' || typeof thread !== 'string' || !channel || !thread)
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: false, error: 'invalid_arguments' }));
        const key = `${channel}:${thread}`;
        const state = assistantThreads.get(key) ?? {};
        if (method.endsWith('setStatus')) state.status = String(body.status ?? '');
        else if (method.endsWith('setTitle')) state.title = String(body.title ?? '');
        else {
          const prompts = body.prompts as { title?: unknown; message?: unknown }[] | undefined;
          const valid =
            Array.isArray(prompts) &&
            prompts.length >= 1 &&
            prompts.length <= 4 &&
            prompts.every((p) => typeof p.title === 'string' && p.title && typeof p.message === 'string' && p.message);
          if (!valid)
            return void res
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ ok: false, error: 'invalid_arguments' }));
          state.prompts = prompts as { title: string; message: string }[];
          state.promptsTitle = body.title as string | undefined;
        }
        assistantThreads.set(key, state);
        return ok(res, {});
      }
      case 'apps.connections.open':
        return ok(res, { url: options.socketUrl ?? 'ws://127.0.0.1:9/' });
      case 'files.getUploadURLExternal': {
        const id = `F${String(files.size + 1).padStart(6, '0')}`;
        files.set(id, {
          id,
          filename: String(body.filename),
          length: Number(body.length),
          altText: body.alt_text === undefined ? (body.alt_txt as string | undefined) : String(body.alt_text),
        });
        return ok(res, { upload_url: `${origin}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const list = (body.files ?? []) as { id: string; title?: string }[];
        for (const f of list) {
          const file = files.get(f.id);
          if (!file?.bytes) return void res.writeHead(200).end(JSON.stringify({ ok: false, error: 'file_not_found' }));
          Object.assign(file, {
            title: f.title,
            channel: body.channel_id as string | undefined,
            threadTs: body.thread_ts as string | undefined,
            initialComment: body.initial_comment as string | undefined,
          });
        }
        return ok(res, { files: list.map((f) => ({ id: f.id, title: f.title })) });
      }
      case 'conversations.open':
        return ok(res, { channel: { id: `D${String(body.users)}` } });
      default:
        return ok(res, {});
    }
  });
  const { port, close } = await listenOnLoopback(server);
  origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    /** Files uploaded and completed, in order. */
    files: () => [...files.values()],
    /** The assistant pane's state per `channel:thread_ts`. */
    assistantThreads,
    /** Queues faults for the next calls of a method, in order. */
    fault(method: string, ...f: Fault[]) {
      faults.set(method, [...(faults.get(method) ?? []), ...f]);
    },
    posts: () => messages.filter((m) => m.metadata?.event_type === 'ai_news_digest'),
    /** The team each token oauth.v2.access issued acts for. */
    issuedTokens: () => new Map(tokens),
    releaseHeld() {
      for (const r of held.splice(0)) r.destroy();
    },
    async close() {
      for (const r of held.splice(0)) r.destroy();
      await close();
    },
  };
}
