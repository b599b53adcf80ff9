/** The frame of watch messages, per language (stories keep their own summary language). */
export interface WatchLabels {
  rule: (id: number, topics: string) => string;
  sources: (n: number) => string;
  moreSources: (n: number) => string;
  moreSourcesFor: (n: number, title: string) => string;
  fold: (n: number, cap: number) => string;
  change: string;
  release: string;
}

const EN: WatchLabels = {
  rule: (id, topics) => `watch #${id}: ${topics}`,
  sources: (n) => `${n} source${n === 1 ? '' : 's'}`,
  moreSources: (n) => `+${n} source${n === 1 ? '' : 's'}`,
  moreSourcesFor: (n, title) => `+${n} source${n === 1 ? '' : 's'} for “${title}”`,
  fold: (n, cap) =>
    `${n} more ${n === 1 ? 'story' : 'stories'} matched this channel's watch rules (at most ${cap} posts an hour):`,
  change: 'Model change',
  release: 'New listing',
};

const ES: WatchLabels = {
  rule: (id, topics) => `alerta #${id}: ${topics}`,
  sources: (n) => `${n} fuente${n === 1 ? '' : 's'}`,
  moreSources: (n) => `+${n} fuente${n === 1 ? '' : 's'}`,
  moreSourcesFor: (n, title) => `+${n} fuente${n === 1 ? '' : 's'} para «${title}»`,
  fold: (n, cap) =>
    `${n} ${n === 1 ? 'noticia más coincide' : 'noticias más coinciden'} con las alertas de este canal (como mucho ${cap} mensajes por hora):`,
  change: 'Cambio de modelo',
  release: 'Modelo nuevo en catálogo',
};

/** Labels for a BCP 47 tag; English when the language has none yet. */
export function watchLabelsFor(language: string): WatchLabels {
  return language.toLowerCase().startsWith('es') ? ES : EN;
}
