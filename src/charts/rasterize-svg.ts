import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

type Skia = typeof import('@napi-rs/canvas');
let skia: Promise<Skia> | undefined;
/**
 * Loads Skia and registers the chart font, once per process (Skia keeps it; later renders pay nothing).
 * Loaded on first use, so commands and processes that draw no chart never load the native module.
 */
function loadSkia(): Promise<Skia> {
  skia ??= import('@napi-rs/canvas').then((m) => {
    if (!m.GlobalFonts.registerFromPath(chartFontPath(), CHART_FONT))
      throw new Error(`charts: could not load the chart font from ${chartFontPath()}`);
    return m;
  });
  return skia;
}

/**
 * Rasterizes an SVG to PNG with Skia (@napi-rs/canvas: a prebuilt binary from the npm registry, no
 * browser). Text uses the registered chart font.
 */
export async function rasterizeSvg(svg: string, width: number, height: number): Promise<Buffer> {
  const { createCanvas, loadImage } = await loadSkia();
  const image = await loadImage(Buffer.from(svg, 'utf8'));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(image, 0, 0, width, height);
  return canvas.encode('png');
}
