/** One bar: this window's value, optionally the previous window's, and how each is written. */
export interface BarRow {
  label: string;
  value: number;
  display: string;
  previous?: number | null;
  previousDisplay?: string;
}

/** A titled group of bars sharing one scale. */
export interface BarGroup {
  heading: string;
  rows: BarRow[];
  /** The value a full-width bar stands for; defaults to the group's largest value. */
  max?: number;
}

/** A horizontal bar chart, platform-neutral: the SVG and its alt text are both built from this. */
export interface ChartSpec {
  title: string;
  subtitle?: string;
  groups: BarGroup[];
  /** Legend names for the current and (when rows carry one) the previous window. */
  legend?: { current: string; previous?: string };
  /** Small print: the measure, the source, the credit line. */
  footer?: string;
}

/** A rendered chart: the PNG, the alt text carrying its numbers, a title and a file name. */
export interface Chart {
  png: Buffer;
  altText: string;
  title: string;
  filename: string;
  width: number;
  height: number;
}
