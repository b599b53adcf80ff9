import type { Services } from '../compose.js';
import { computeTrends } from '../trends/compute-trends.js';

/** A question to offer: a short title and the message sent when it is picked. */
export interface SuggestedQuestion {
  title: string;
  message: string;
}

const TEXT = {
  en: {
    lab: (lab: string) => ({ title: `${lab} this week`, message: `What did ${lab} ship this week?` }),
    openClosed: { title: 'Open vs closed this month', message: 'Open vs closed models: what shipped this month?' },
    china: { title: 'Chinese labs this week', message: "What's new from Chinese labs this week?" },
    model: (name: string) => ({ title: `About ${name}`, message: `What is ${name}?` }),
    defaults: ['OpenAI', 'DeepSeek'],
  },
  es: {
    lab: (lab: string) => ({ title: `${lab} esta semana`, message: `¿Qué lanzó ${lab} esta semana?` }),
    openClosed: {
      title: 'Abiertos vs cerrados este mes',
      message: '¿Qué modelos abiertos y cerrados salieron este mes?',
    },
    china: {
      title: 'Laboratorios chinos esta semana',
      message: '¿Qué hay de nuevo de los laboratorios chinos esta semana?',
    },
    model: (name: string) => ({ title: `Sobre ${name}`, message: `¿Qué es ${name}?` }),
    defaults: ['OpenAI', 'DeepSeek'],
  },
};

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * Three or four questions the archive can answer now: the labs covered most this week, the newest
 * model listed, Chinese labs when they are in the news, and open versus closed this month. An empty
 * archive still gets three general questions. With `team`, only the stories that team can see count
 * (another workspace's feeds must not show through a suggestion).
 */
export async function suggestQuestions(s: Services, language: string, team?: string): Promise<SuggestedQuestion[]> {
  const t = language.toLowerCase().startsWith('es') ? TEXT.es : TEXT.en;
  const now = s.clock.now();
  const week = await computeTrends(
    s.entities,
    now,
    7,
    async (from, to) => await s.stories.publishedBetween(from, to, team),
  );
  const labs = week.labs.filter((r) => r.stories > 0).map((r) => r.name);
  const out: SuggestedQuestion[] = labs.slice(0, 2).map((lab) => t.lab(lab));
  const newest = (await s.releases.between(new Date(now.getTime() - 7 * 86_400_000), new Date(now.getTime() + 1)))[0];
  if (newest) out.push(t.model(newest.name.replace(/^[^:]{1,40}:\s*/, '')));
  if (week.origins.some((r) => r.key === 'CN' && r.stories > 0)) out.push(t.china);
  for (const lab of t.defaults) if (out.length < 2 && !labs.includes(lab)) out.push(t.lab(lab));
  out.splice(3);
  out.push(t.openClosed);
  // Slack shows at most four; titles stay short enough for the pane.
  return out.slice(0, 4).map((q) => ({ title: clip(q.title, 75), message: clip(q.message, 300) }));
}
