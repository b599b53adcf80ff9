import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { CHART_FONT } from './bar-chart-svg.js';

/**
 * The chart font: Noto Sans (Simplified Chinese, GB2312 subset, with Latin and kana), shipped by the
 * npm package @embedpdf/fonts-sc under the SIL Open Font License 1.1, so CJK names render on a machine
 * with no CJK fonts installed and on a fresh clone.
 */
export function chartFontPath(): string {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(dirname(entry)), 'fonts', 'NotoSansHans-Regular.otf');
}

let registered = false;
/** Registers the chart font once per process (Skia keeps it; later renders pay nothing for it). */
function ensureFont(): void {
  if (registered) return;
  if (!GlobalFonts.registerFromPath(chartFontPath(), CHART_FONT))
    throw new Error(`charts: could not load the chart font from ${chartFontPath()}`);
  registered = true;
}

/**
 * Rasterizes an SVG to PNG with Skia (@napi-rs/canvas: a prebuilt binary from the npm registry, no
 * browser). Text uses the registered chart font.
 */
export async function rasterizeSvg(svg: string, width: number, height: number): Promise<Buffer> {
  ensureFont();
  const image = await loadImage(Buffer.from(svg, 'utf8'));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.encode('png');
}
