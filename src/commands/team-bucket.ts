import { DEFAULT_TEAM } from '../core/team.js';

/**
 * A rate-limit bucket of a team: its own counts, never shared with another team's same channel or user
 * id. The default team's buckets keep their pre-tenancy names, so an upgrade does not reset them.
 */
export function teamBucket(team: string, bucket: string): string {
  return team === DEFAULT_TEAM ? bucket : `${team}/${bucket}`;
}
