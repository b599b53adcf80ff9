import type { ChartSpec } from './chart-spec.js';

/** The font family every chart text uses; registered from an npm-shipped file (see rasterize-svg.ts). */
export const CHART_FONT = 'AI News Sans';

const WIDTH = 800;
const LABEL_X = 230;
const BAR_X = 240;
const BAR_MAX = 440;
const COLORS = { current: '#1d3557', previous: '#a8b3c4', text: '#1b1b1b', muted: '#5c6370', grid: '#e6e8eb' };

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\p{Cc}/gu, ' ');

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Splits small print into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const text = (x: number, y: number, size: number, body: string, extra = '', fill = COLORS.text) =>
  `<text x="${x}" y="${y}" font-family="${CHART_FONT}" font-size="${size}" fill="${fill}"${extra}>${esc(body)}</text>`;

/** Builds the SVG of a horizontal bar chart: a title, a legend, one block of bars per group, small print. */
export function barChartSvg(spec: ChartSpec): { svg: string; width: number; height: number } {
  const out: string[] = [];
  let y = 34;
  out.push(text(24, y, 20, clip(spec.title, 70), ' font-weight="bold"'));
  if (spec.subtitle) {
    y += 22;
    out.push(text(24, y, 13, clip(spec.subtitle, 110), '', COLORS.muted));
  }
  const hasPrevious = spec.groups.some((g) => g.rows.some((r) => r.previous !== undefined && r.previous !== null));
  if (spec.legend) {
    y += 24;
    out.push(`<rect x="24" y="${y - 10}" width="12" height="12" fill="${COLORS.current}"/>`);
    out.push(text(42, y, 12, spec.legend.current));
    if (hasPrevious && spec.legend.previous) {
      out.push(`<rect x="240" y="${y - 8}" width="12" height="8" fill="${COLORS.previous}"/>`);
      out.push(text(258, y, 12, spec.legend.previous));
    }
  }
  for (const g of spec.groups) {
    y += 34;
    out.push(text(24, y, 15, clip(g.heading, 80), ' font-weight="bold"'));
    if (g.rows.length === 0) {
      y += 22;
      out.push(text(LABEL_X, y, 12, 'no data', ' text-anchor="end"', COLORS.muted));
      continue;
    }
    const max = g.max ?? Math.max(...g.rows.flatMap((r) => [r.value, r.previous ?? 0]), 0);
    const scale = (v: number) => (max > 0 ? Math.max(0, Math.min(1, v / max)) * BAR_MAX : 0);
    y += 8;
    for (const r of g.rows) {
      const withPrevious = r.previous !== undefined && r.previous !== null;
      const top = y + 6;
      out.push(text(LABEL_X, top + 12, 13, clip(r.label, 32), ' text-anchor="end"'));
      const w = scale(r.value);
      out.push(`<rect x="${BAR_X}" y="${top}" width="${BAR_MAX}" height="16" fill="${COLORS.grid}"/>`);
      out.push(`<rect x="${BAR_X}" y="${top}" width="${w.toFixed(1)}" height="16" fill="${COLORS.current}"/>`);
      out.push(text(BAR_X + BAR_MAX + 8, top + 12, 13, r.display));
      if (withPrevious) {
        const pw = scale(r.previous as number);
        out.push(`<rect x="${BAR_X}" y="${top + 18}" width="${pw.toFixed(1)}" height="6" fill="${COLORS.previous}"/>`);
        if (r.previousDisplay) out.push(text(BAR_X + BAR_MAX + 8, top + 26, 10, r.previousDisplay, '', COLORS.muted));
      }
      y = top + (withPrevious ? 28 : 20);
    }
  }
  if (spec.footer) {
    y += 16;
    for (const line of wrap(spec.footer, 118).slice(0, 6)) {
      y += 15;
      out.push(text(24, y, 11, line, '', COLORS.muted));
    }
  }
  const height = Math.ceil(y + 20);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"><rect width="${WIDTH}" height="${height}" fill="#ffffff"/>${out.join('')}</svg>`;
  return { svg, width: WIDTH, height };
}
