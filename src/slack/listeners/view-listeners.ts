import type { AckFn, App, ViewResponseAction, ViewStateValue } from '@slack/bolt';
import { runCommand } from '../../commands/run-command.js';
import type { CommandContext } from '../../commands/types.js';
import { AppError, errorMessage } from '../../core/errors.js';
import { parseClockTime } from '../../core/zoned-time.js';
import { escapeMrkdwn, neutralizeFormatting } from '../../digest/escape-mrkdwn.js';
import { addFeed } from '../../ingest/add-feed.js';
import { importOpml, readOpmlSource } from '../../ingest/import-opml.js';
import { buildHomeView } from '../home-view.js';
import { VIEWS } from '../ids.js';
import { dataTeam, requestTeam, type SlackDeps } from '../slack-deps.js';

type Values = Record<string, Record<string, ViewStateValue>>;
const value = (v: Values, block: string) => v[block]?.value;
/** How long a submission may work before the modal closes and the answer goes by DM. @unit milliseconds */
const MODAL_BUDGET_MS = 2000;

/** Modal submissions: add feed (real fetch), remove feeds, import OPML, channel digest settings, watch rules. */
export function registerViewListeners(app: App, deps: SlackDeps): void {
  const s = deps.services;
  const actor = (user: string) => `slack:${user}`;
  const refreshHome = async (userId: string, teamId?: string) => {
    try {
      const client = await deps.clients.forTeam(teamId);
      await client?.views.publish({
        user_id: userId,
        view: await buildHomeView(s, await deps.isAdmin(teamId, userId), dataTeam(deps, teamId)),
      });
    } catch (err) {
      s.logger.warn('slack: home refresh failed', { error: errorMessage(err) });
    }
  };
  // The text is mrkdwn to Slack and may carry feed titles and addresses: escaped, never a ping or a link.
  const dm = async (userId: string, teamId: string | undefined, text: string) =>
    (await deps.clients.forTeam(teamId))?.chat
      .postMessage({ channel: userId, text: escapeMrkdwn(text) })
      .catch(() => undefined);

  /** Runs slow work; answers in the modal when it finishes in time, else closes it and answers by DM. */
  async function withinBudget(
    ack: AckFn<ViewResponseAction> | AckFn<void>,
    userId: string,
    teamId: string | undefined,
    blockId: string,
    work: () => Promise<string>,
  ) {
    const job = work().then(
      (text) => ({ ok: true as const, text }),
      (err: unknown) => ({
        ok: false as const,
        text: err instanceof AppError ? err.message : `Something went wrong: ${errorMessage(err)}`,
      }),
    );
    const done = await Promise.race([job, new Promise<null>((r) => setTimeout(() => r(null), MODAL_BUDGET_MS))]);
    const respondWith = ack as AckFn<ViewResponseAction | undefined>;
    if (done && !done.ok)
      return void (await respondWith({ response_action: 'errors', errors: { [blockId]: done.text.slice(0, 150) } }));
    await respondWith(undefined);
    const final = done ?? (await job);
    await dm(userId, teamId, final.text);
  }

  app.view(VIEWS.addFeed, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { url: 'Only admins can add feeds.' } }));
    const v = view.state.values as Values;
    const url = value(v, 'url')?.value ?? '';
    const name = value(v, 'name')?.value ?? undefined;
    await withinBudget(ack, body.user.id, body.team?.id, 'url', async () => {
      const team = dataTeam(deps, body.team?.id);
      const r = await addFeed(s, url, name ?? undefined, team);
      if (r.created)
        await s.audit.record(actor(body.user.id), 'feeds.add', { id: r.feed.id, url: r.feed.url }, s.clock.now(), team);
      await refreshHome(body.user.id, body.team?.id);
      return r.created
        ? `Added feed #${r.feed.id} ${neutralizeFormatting(r.feed.title ?? r.feed.url)}: ${r.itemsFound} entries found.`
        : `Already subscribed: #${r.feed.id}.`;
    });
  });

  app.view(VIEWS.removeFeeds, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { feeds: 'Only admins can remove feeds.' } }));
    const ids = (value(view.state.values as Values, 'feeds')?.selected_options ?? []).map((o) => Number(o.value));
    await ack();
    const team = dataTeam(deps, body.team?.id);
    for (const id of ids) {
      const f = await s.feeds.subscribed(id, team);
      if (f && (await s.feeds.remove(id, team)))
        await s.audit.record(actor(body.user.id), 'feeds.remove', { id, url: f.url }, s.clock.now(), team);
    }
    await refreshHome(body.user.id, body.team?.id);
  });

  app.view(VIEWS.importOpml, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { source: 'Only admins can import feeds.' } }));
    const source = value(view.state.values as Values, 'source')?.value ?? '';
    await withinBudget(ack, body.user.id, body.team?.id, 'source', async () => {
      const team = dataTeam(deps, body.team?.id);
      const r = await importOpml(s, await readOpmlSource(s, source, false), team);
      await s.audit.record(actor(body.user.id), 'feeds.import', { added: r.added.length }, s.clock.now(), team);
      await refreshHome(body.user.id, body.team?.id);
      return `Imported ${r.added.length} feeds (${r.alreadySubscribed.length} already subscribed, ${r.duplicatesInFile.length} duplicates, ${r.invalid.length} invalid).`;
    });
  });

  app.view(VIEWS.channelSettings, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({
        response_action: 'errors',
        errors: { channel: 'Only admins can change digest settings.' },
      }));
    const v = view.state.values as Values;
    const channel = value(v, 'channel')?.selected_conversation;
    const time = value(v, 'time')?.selected_time ?? '08:00';
    if (!channel) return void (await ack({ response_action: 'errors', errors: { channel: 'Pick a channel.' } }));
    if (!parseClockTime(time)) return void (await ack({ response_action: 'errors', errors: { time: 'Pick a time.' } }));
    await ack();
    const settings = {
      digestTime: time,
      timezone: value(v, 'tz')?.selected_option?.value ?? undefined,
      language: value(v, 'language')?.selected_option?.value ?? undefined,
      topics: value(v, 'topics')?.value ?? undefined,
    };
    const team = dataTeam(deps, body.team?.id);
    await s.channels.subscribe(channel, settings, actor(body.user.id), s.clock.now(), team);
    await s.audit.record(actor(body.user.id), 'channel.subscribe', { channel, ...settings }, s.clock.now(), team);
    await refreshHome(body.user.id, body.team?.id);
  });

  /** A watch change runs the command core, so its checks, refusals and audit are the slash command's. */
  const watchCtx = (userId: string, teamId: string | undefined, channelId?: string): CommandContext => ({
    services: s,
    actor: { id: userId, isAdmin: () => deps.isAdmin(teamId, userId) },
    channelId,
    teamId: requestTeam(deps, teamId),
    surface: 'slack',
  });

  app.view(VIEWS.addWatch, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { topics: 'Only admins can add watch rules.' } }));
    const v = view.state.values as Values;
    const channel = value(v, 'channel')?.selected_conversation;
    if (!channel) return void (await ack({ response_action: 'errors', errors: { channel: 'Pick a channel.' } }));
    const topics = (value(v, 'topics')?.value ?? '').trim();
    const reply = await runCommand(watchCtx(body.user.id, body.team?.id, channel), [
      'watch',
      'add',
      ...topics.split(/\s+/),
    ]);
    if (reply.exitCode)
      return void (await ack({ response_action: 'errors', errors: { topics: reply.text.slice(0, 150) } }));
    await ack();
    await refreshHome(body.user.id, body.team?.id);
  });

  app.view(VIEWS.removeWatches, async ({ ack, body, view }) => {
    if (!(await deps.isAdmin(body.team?.id, body.user.id)))
      return void (await ack({ response_action: 'errors', errors: { rules: 'Only admins can remove watch rules.' } }));
    const ids = (value(view.state.values as Values, 'rules')?.selected_options ?? []).map((o) => o.value);
    await ack();
    for (const id of ids) await runCommand(watchCtx(body.user.id, body.team?.id), ['watch', 'remove', id]);
    await refreshHome(body.user.id, body.team?.id);
  });
}
