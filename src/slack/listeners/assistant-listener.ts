import { type App, Assistant, type AssistantConfig } from '@slack/bolt';
import { detectLanguage } from '../../ask/parse-query.js';
import { suggestQuestions } from '../../ask/suggest-questions.js';
import { runCommand } from '../../commands/run-command.js';
import { errorMessage } from '../../core/errors.js';
import { decodeSlackText } from '../decode-slack-text.js';
import { toSlackMessage } from '../format-reply.js';
import { dataTeam, requestTeam, type SlackDeps } from '../slack-deps.js';

const TEXT = {
  en: {
    title: 'AI model news',
    prompts: 'Ask the archive',
    greeting:
      'Ask me about the AI model ecosystem: who shipped what, open or closed, from where. I answer from the news archive, with numbered sources.',
    status: 'Searching the archive…',
    failed: 'Something went wrong answering that; please try again.',
  },
  es: {
    title: 'Noticias de modelos de IA',
    prompts: 'Pregunta al archivo',
    greeting:
      'Pregúntame por el ecosistema de modelos de IA: quién lanzó qué, abierto o cerrado, de dónde. Respondo desde el archivo de noticias, con fuentes numeradas.',
    status: 'Buscando en el archivo…',
    failed: 'Algo falló al responder; inténtalo de nuevo.',
  },
};
const textFor = (language: string) => (language.toLowerCase().startsWith('es') ? TEXT.es : TEXT.en);

type Payload = {
  channel?: string;
  thread_ts?: string;
  assistant_thread?: {
    channel_id?: string;
    thread_ts?: string;
    user_id?: string;
    context?: { channel_id?: string; team_id?: string; enterprise_id?: string | null };
  };
};

/** The DM and thread an assistant event belongs to. */
function threadOf(p: Payload): { channel: string; thread: string } | undefined {
  const channel = p.assistant_thread?.channel_id ?? p.channel;
  const thread = p.assistant_thread?.thread_ts ?? p.thread_ts;
  return channel && thread ? { channel, thread } : undefined;
}

/**
 * The Slack AI assistant pane: on a new thread a title and suggested questions from the archive; on a
 * question, a status, then the answer `ask` gives (the command core), in the thread and in the
 * question's language, with the channel the user is viewing as context. Bot messages get no answer.
 */
export function registerAssistant(app: App, deps: SlackDeps): void {
  const s = deps.services;
  // The pane's context lives in the database, so any process answering a thread knows it.
  const threadContextStore: NonNullable<AssistantConfig['threadContextStore']> = {
    async get({ payload }) {
      const t = threadOf(payload as Payload);
      const c = t && (await s.assistantThreads.get(t.channel, t.thread));
      if (!c?.channelId) return {};
      return {
        channel_id: c.channelId,
        ...(c.teamId ? { team_id: c.teamId } : {}),
        ...(c.enterpriseId ? { enterprise_id: c.enterpriseId } : {}),
      };
    },
    async save({ payload }) {
      const p = payload as Payload;
      const t = threadOf(p);
      const c = p.assistant_thread?.context;
      if (!t) return;
      await s.assistantThreads.save(
        t.channel,
        t.thread,
        {
          userId: p.assistant_thread?.user_id ?? null,
          channelId: c?.channel_id ?? null,
          teamId: c?.team_id ?? null,
          enterpriseId: c?.enterprise_id ?? null,
        },
        s.clock.now(),
      );
    },
  };
  const languageOf = async (channelId: string | undefined, team: string | undefined) =>
    (channelId ? (await s.channels.get(channelId, dataTeam(deps, team)))?.language : undefined) ??
    s.config.digestLanguage;

  const assistant = new Assistant({
    threadContextStore,
    threadStarted: async ({ event, say, setTitle, setSuggestedPrompts, saveThreadContext, logger }) => {
      try {
        await saveThreadContext();
        const language = await languageOf(
          event.assistant_thread.context.channel_id,
          event.assistant_thread.context.team_id,
        );
        const t = textFor(language);
        await say({ text: t.greeting });
        await setTitle(t.title);
        const team = requestTeam(deps, event.assistant_thread.context.team_id);
        await setSuggestedPrompts({ title: t.prompts, prompts: await suggestQuestions(s, language, team) });
      } catch (err) {
        logger.error(`slack: assistant thread start failed: ${errorMessage(err)}`);
      }
    },
    threadContextChanged: async ({ saveThreadContext }) => {
      await saveThreadContext();
    },
    userMessage: async ({ message, say, setStatus, getThreadContext, logger }) => {
      // Another app's (or a workflow's) message is not a question for us.
      if (('bot_id' in message && message.bot_id) || ('subtype' in message && message.subtype)) return;
      // The question as typed: Slack's escapes and <…> formatting decoded once.
      const question = decodeSlackText('text' in message ? (message.text ?? '') : '')
        .normalize('NFC')
        .trim();
      const user = 'user' in message ? (message.user ?? 'unknown') : 'unknown';
      if (!question) return;
      const context = await getThreadContext();
      const t = textFor(detectLanguage(question) ?? (await languageOf(context.channel_id, context.team_id)));
      try {
        await setStatus(t.status);
        const reply = await runCommand(
          {
            services: s,
            actor: { id: user, isAdmin: async () => false },
            channelId: context.channel_id,
            teamId: requestTeam(deps, context.team_id),
            surface: 'slack',
          },
          ['ask', ...question.slice(0, 4000).split(/\s+/)],
        );
        const m = toSlackMessage(reply);
        await say({
          text: m.text,
          ...(m.blocks ? { blocks: m.blocks as never } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (err) {
        logger.error(`slack: assistant answer failed: ${errorMessage(err)}`);
        await say({ text: t.failed }).catch(() => undefined);
      }
    },
  });
  app.assistant(assistant);
}
