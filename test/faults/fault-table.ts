/** One row of the fault-injection report. */
export interface FaultRow {
  fault: string;
  expected: string;
  observed: string;
  pass: boolean;
}

/** Collects rows and prints them as a table when the suite ends. */
export function faultTable() {
  const rows: FaultRow[] = [];
  return {
    rows,
    add(row: FaultRow) {
      rows.push(row);
    },
    print(title: string) {
      const w = (k: keyof FaultRow) => Math.min(60, Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
      const cell = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
      const widths = { fault: w('fault'), expected: w('expected'), observed: w('observed') };
      const lines = [
        `${cell('fault', widths.fault)} | ${cell('expected', widths.expected)} | ${cell('observed', widths.observed)} | result`,
        `${'-'.repeat(widths.fault)}-+-${'-'.repeat(widths.expected)}-+-${'-'.repeat(widths.observed)}-+-------`,
        ...rows.map(
          (r) =>
            `${cell(r.fault, widths.fault)} | ${cell(r.expected, widths.expected)} | ${cell(r.observed, widths.observed)} | ${r.pass ? 'pass' : 'FAIL'}`,
        ),
        `${rows.filter((r) => r.pass).length} passed, ${rows.filter((r) => !r.pass).length} failed`,
      ];
      console.log(`\n${title}\n${lines.join('\n')}\n`);
    },
  };
}
