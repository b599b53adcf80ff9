import { barChartSvg } from './bar-chart-svg.js';
import { chartAltText } from './chart-alt-text.js';
import type { Chart, ChartSpec } from './chart-spec.js';
import { rasterizeSvg } from './rasterize-svg.js';

/** Renders a chart spec to a PNG with its alt text. */
export async function renderChart(spec: ChartSpec, filename: string): Promise<Chart> {
  const { svg, width, height } = barChartSvg(spec);
  const png = await rasterizeSvg(svg, width, height);
  return { png, altText: chartAltText(spec), title: spec.title, filename, width, height };
}
