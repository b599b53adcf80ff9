import type { ParsedArgs } from './types.js';

/**
 * True when the user asked for a chart: the word `chart` (Slack) or `--chart <file.png>` (CLI). The word
 * is taken out of the arguments so the rest parses as before.
 */
export function takeChartOption(p: ParsedArgs): { wanted: boolean; args: string[] } {
  const args = p.args.filter((a) => a.toLowerCase() !== 'chart');
  return { wanted: p.flags.chart !== undefined || args.length !== p.args.length, args };
}
