/**
 * The default team (workspace): single-workspace mode's only team, and the owner of everything stored
 * before tenancy (migration 0017). The empty string: never a Slack team id, which starts with T or E.
 */
export const DEFAULT_TEAM = '';

/**
 * The team whose data a request acts on. With one bot token (single workspace) it is always the default
 * team, whatever team id a Slack payload carries, so a deployment's data never moves; with OAuth
 * distribution it is the installing workspace's id.
 */
export function owningTeam(multiWorkspace: boolean, payloadTeam: string | null | undefined): string {
  return multiWorkspace && payloadTeam ? payloadTeam : DEFAULT_TEAM;
}

/** How a team is named in messages and logs. */
export function teamLabel(team: string): string {
  return team === DEFAULT_TEAM ? 'the default workspace' : `workspace ${team}`;
}
