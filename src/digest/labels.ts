/** UI labels of a digest, per language. Summaries have their own language; these are the frame. */
export interface Labels {
  title: string;
  topStories: string;
  newModels: string;
  modelChanges: string;
  moreChanges: (n: number) => string;
  pulse: string;
  sources: (n: number) => string;
  more: (n: number) => string;
  quiet: string;
  window: (from: string, to: string) => string;
  summariesBy: (model: string) => string;
  offline: string;
  /** Marks a summary left in its sources' language: "in Chinese". */
  inLanguage: (name: string) => string;
  /** Marks a story a watch rule already posted to the channel. */
  watched: string;
  tokens: (n: number) => string;
  settings: string;
  continued: string;
  open: string;
  closed: string;
  origin: Record<string, string>;
  openness: Record<string, string>;
}

const EN: Labels = {
  title: 'AI model ecosystem',
  topStories: 'Top stories',
  newModels: 'New models',
  modelChanges: 'Model changes',
  moreChanges: (n) => `${n} more: \`/ai-news models changes\``,
  pulse: 'Ecosystem pulse (7 days)',
  sources: (n) => `${n} source${n === 1 ? '' : 's'}`,
  more: (n) => `${n} more ${n === 1 ? 'story' : 'stories'}: \`/ai-news stories\` lists them.`,
  quiet: 'A quiet day: nothing new about AI models in this window.',
  window: (from, to) => `${from} → ${to}`,
  summariesBy: (model) => `Summaries by ${model}`,
  offline: 'Offline summaries (no model)',
  inLanguage: (name) => `in ${name}`,
  watched: 'posted here earlier by a watch rule',
  tokens: (n) => `${n.toLocaleString('en-US')} model tokens`,
  settings: 'Change time, zone or topics: `/ai-news settings`',
  continued: 'continued',
  open: 'open',
  closed: 'closed',
  origin: { US: 'United States', CN: 'China', EU: 'Europe', other: 'Other', unknown: 'Unknown' },
  openness: { 'open-weight': 'open weights', 'open-source': 'open source', closed: 'closed', mixed: 'mixed' },
};

const ES: Labels = {
  title: 'Ecosistema de modelos de IA',
  topStories: 'Noticias principales',
  newModels: 'Modelos nuevos',
  modelChanges: 'Cambios en los modelos',
  moreChanges: (n) => `${n} más: \`/ai-news models changes\``,
  pulse: 'Pulso del ecosistema (7 días)',
  sources: (n) => `${n} fuente${n === 1 ? '' : 's'}`,
  more: (n) => `${n} ${n === 1 ? 'noticia más' : 'noticias más'}: \`/ai-news stories\` las lista.`,
  quiet: 'Un día tranquilo: nada nuevo sobre modelos de IA en este periodo.',
  window: (from, to) => `${from} → ${to}`,
  summariesBy: (model) => `Resúmenes de ${model}`,
  offline: 'Resúmenes sin modelo (extractivos)',
  inLanguage: (name) => `en ${name}`,
  watched: 'publicada antes aquí por una alerta',
  tokens: (n) => `${n.toLocaleString('es-ES')} tokens de modelo`,
  settings: 'Cambia hora, zona o temas: `/ai-news settings`',
  continued: 'continúa',
  open: 'abiertos',
  closed: 'cerrados',
  origin: { US: 'Estados Unidos', CN: 'China', EU: 'Europa', other: 'Otros', unknown: 'Desconocido' },
  openness: { 'open-weight': 'pesos abiertos', 'open-source': 'código abierto', closed: 'cerrado', mixed: 'mixto' },
};

/** Labels for a BCP 47 tag; English when the language has none yet. */
export function labelsFor(language: string): Labels {
  return language.toLowerCase().startsWith('es') ? ES : EN;
}

/** A date formatted for a digest in the channel's language and time zone. */
export function formatDay(d: Date, language: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}

/** Date and time, for windows. */
export function formatMoment(d: Date, language: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(language, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      hourCycle: 'h23',
    }).format(d);
  } catch {
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
}
