import { cleaned } from './cleaned.js';
import type { Digest } from './compose-digest.js';
import { safeUrl } from './escape-mrkdwn.js';
import { formatDay } from './labels.js';

/** The digest as plain text, for the terminal and as Slack's notification fallback; untrusted text is stripped of Slack control sequences. */
export function renderText(raw: Digest): string {
  const d = cleaned(raw);
  const l = d.labels;
  const out: string[] = [`${l.title} — ${formatDay(new Date(d.to), d.language, d.timeZone)}`, d.windowText, ''];
  if (d.quiet) out.push(l.quiet, '');
  if (d.stories.length > 0) {
    out.push(l.topStories.toUpperCase());
    d.stories.forEach((s, i) => {
      out.push(`${i + 1}. ${s.title}`);
      out.push(`   ${s.summary}${s.originalLanguage ? ` (${l.inLanguage(s.originalLanguage)})` : ''}`);
      const feeds = s.sources.map((x) => x.feed ?? x.title).join(', ');
      const url = safeUrl(s.url);
      out.push(`   ${l.sources(s.sources.length)}: ${feeds}${url ? ` — ${url}` : ''}`);
      if (s.watched) out.push(`   (${l.watched})`);
    });
    if (d.more > 0) out.push(l.more(d.more).replace(/`/g, ''));
    out.push('');
  }
  if (d.newModels.length > 0) {
    out.push(l.newModels.toUpperCase());
    for (const m of d.newModels) {
      const url = safeUrl(m.url);
      out.push(`• ${m.name}${m.lab ? ` — ${m.lab}` : ''} — ${m.origin} · ${m.openness}${url ? ` — ${url}` : ''}`);
    }
    out.push('');
  }
  if (d.modelChanges?.length) {
    out.push(l.modelChanges.toUpperCase(), ...d.modelChanges.map((c) => `• ${c.text}`));
    if (d.moreChanges) out.push(l.moreChanges(d.moreChanges).replace(/`/g, ''));
    out.push('');
  }
  if (d.pulse || d.usagePulse) out.push(l.pulse.toUpperCase(), ...[d.pulse, d.usagePulse ?? ''].filter(Boolean), '');
  const how = d.model === 'offline' ? l.offline : l.summariesBy(d.model);
  out.push([how, d.tokens > 0 ? l.tokens(d.tokens) : '', l.settings.replace(/`/g, '')].filter(Boolean).join(' · '));
  return out.join('\n');
}
