/**
 * The one shape of "what a team reads": a story is visible to a team when at least one of its items
 * comes from a feed the team subscribes to, or from a built-in source (which count for everyone).
 * Every read of stories for a team (digest, search, ask, stories, trends, suggestions) adds this
 * predicate, in both engines. `story` is the SQL expression of the story id; `team` the placeholder of
 * the team id (a named parameter, so the caller binds it once).
 */
export function storyVisibleTo(story: string, team = '@team'): string {
  return `EXISTS (SELECT 1 FROM story_items vsi JOIN feeds vf ON vf.id = vsi.feed_id
    WHERE vsi.story_id = ${story}
      AND (vf.kind = 'builtin' OR EXISTS (SELECT 1 FROM team_feeds vtf WHERE vtf.team_id = ${team} AND vtf.feed_id = vsi.feed_id)))`;
}
