import type { App } from '@slack/bolt';
import { errorMessage } from '../../core/errors.js';
import type { SlackDeps } from '../slack-deps.js';

/** Who an Events API delivery is for: the workspace, and the org when the install is org-wide. */
interface Envelope {
  team_id?: string;
  enterprise_id?: string;
  authorizations?: { is_enterprise_install?: boolean }[];
}

/**
 * Uninstalls and revoked tokens (Bolt delivers both without authorizing them, as the tokens are gone):
 * the workspace's installation is deleted, so its requests get no answer and the scheduler skips its
 * channels' digests and watch posts. A revocation of user tokens alone removes only the user token.
 * With one bot token (SLACK_BOT_TOKEN) there is nothing stored: the operator is told instead.
 */
export function registerInstallListeners(app: App, deps: SlackDeps): void {
  const s = deps.services;
  const forget = async (body: Envelope, what: string, onlyUserToken = false) => {
    const teamId = body.team_id;
    const enterpriseId = body.enterprise_id;
    const isEnterpriseInstall = body.authorizations?.[0]?.is_enterprise_install === true;
    const store = deps.installations;
    if (!store) {
      if (!onlyUserToken)
        s.logger.warn(`slack: ${what} in workspace ${teamId}; SLACK_BOT_TOKEN no longer works there`, { teamId });
      return;
    }
    const query = { teamId, enterpriseId, isEnterpriseInstall };
    try {
      if (onlyUserToken) {
        // The bot keeps working: store the installation again without its user token.
        const installation = await store.fetchInstallation(query);
        if (!installation.user?.token) return;
        await store.storeInstallation({ ...installation, user: { id: installation.user.id } } as typeof installation);
      } else await store.deleteInstallation?.(query);
      await s.audit.record(
        'slack',
        onlyUserToken ? 'slack.user_tokens_revoked' : 'slack.uninstall',
        { teamId, enterpriseId, event: what },
        s.clock.now(),
        // The workspace's own audit log (its data stays, should it install again).
        teamId ?? '',
      );
      s.logger.info(`slack: ${what}; ${onlyUserToken ? 'user token removed' : 'installation deleted'}`, {
        teamId,
        enterpriseId,
      });
    } catch (err) {
      s.logger.warn(`slack: ${what}, but the installation could not be updated`, { teamId, error: errorMessage(err) });
    }
  };

  app.event('app_uninstalled', async ({ body }) => {
    await forget(body as Envelope, 'app uninstalled');
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    const bots = event.tokens.bot ?? [];
    const users = event.tokens.oauth ?? [];
    if (bots.length === 0 && users.length === 0) return;
    await forget(body as Envelope, 'tokens revoked', bots.length === 0);
  });
}
