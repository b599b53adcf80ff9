import type { App } from '@slack/bolt';
import { runCommand } from '../../commands/run-command.js';
import type { CommandContext, Reply } from '../../commands/types.js';
import { decodeSlackText } from '../decode-slack-text.js';
import { toSlackMessage } from '../format-reply.js';
import { COMMAND } from '../ids.js';
import { requestTeam, type SlackDeps } from '../slack-deps.js';
import { uploadChart, uploadFailure } from '../upload-chart.js';

/** Work that can take longer than Slack's 3 s: acknowledged at once, answered through respond(). */
const SLOW = [/^ask\b/i, /^digest\s+now\b/i, /^feeds?\s+(add|import)\b/i, /^poll\b/i];
/** The longest a fast command may take before its answer moves to respond(). @unit milliseconds */
const INLINE_BUDGET_MS = 1500;
const WORKING = { response_type: 'ephemeral' as const, text: '⏳ Working on it…' };

/** `/ai-news <words>`: the command core, answered inside the ack when quick, else through respond(). */
export function registerCommandListener(app: App, deps: SlackDeps): void {
  app.command(COMMAND, async ({ command, ack, respond, logger }) => {
    // Slack sends `&amp;` for & and `<https://…>` for a typed link: the command core gets what was typed.
    const text = decodeSlackText(command.text).normalize('NFC').slice(0, 4000);
    const ctx: CommandContext = {
      services: deps.services,
      actor: { id: command.user_id, isAdmin: () => deps.isAdmin(command.team_id, command.user_id) },
      channelId: command.channel_id,
      teamId: requestTeam(deps, command.team_id),
      surface: 'slack',
      sink: deps.sinkFor(command.team_id),
    };
    const answer = (reply: Reply) =>
      respond({ ...toSlackMessage(reply), replace_original: false }).catch((err: unknown) =>
        logger.error(`slack: respond failed: ${(err as Error).message}`),
      );
    // A chart (`trends chart`, `share chart`, `models chart`) is shared into the channel after the reply.
    const share = async (reply: Reply) => {
      if (!reply.chart) return;
      try {
        const client = await deps.clients.forTeam(command.team_id);
        if (!client) return;
        await uploadChart(client, command.channel_id, reply.chart, { comment: reply.chart.title });
      } catch (err) {
        logger.warn(`slack: chart upload failed: ${(err as Error).message}`);
        await answer({ text: uploadFailure(err) });
      }
    };
    if (SLOW.some((re) => re.test(text.trim()))) {
      await ack(WORKING);
      const reply = await runCommand(ctx, text);
      await answer(reply);
      await share(reply);
      return;
    }
    const running = runCommand(ctx, text);
    const quick = await Promise.race([running, new Promise<null>((r) => setTimeout(() => r(null), INLINE_BUDGET_MS))]);
    if (quick) {
      await ack(toSlackMessage(quick));
      await share(quick);
      return;
    }
    await ack(WORKING);
    const reply = await running;
    await answer(reply);
    await share(reply);
  });
}
