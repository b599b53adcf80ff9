import { readFileSync } from 'node:fs';
import type { EntityMatcher } from '../../src/catalog/match-entities.js';

/** One labelled sentence: the labs and model-version keys it names. */
export interface Labelled {
  lang: 'en' | 'es' | 'zh';
  text: string;
  labs: string[];
  versions: string[];
}

/** The project's labelled set (test/fixtures/entities.json). */
export function loadLabelledSet(): Labelled[] {
  return JSON.parse(readFileSync(new URL('../fixtures/entities.json', import.meta.url), 'utf8')) as Labelled[];
}

function compare(got: string[], want: string[], what: string, text: string, errors: string[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const g of got) {
    if (want.includes(g)) tp++;
    else {
      fp++;
      errors.push(`extra ${what} ${g}: ${text}`);
    }
  }
  for (const w of want) {
    if (!got.includes(w)) {
      fn++;
      errors.push(`missed ${what} ${w}: ${text}`);
    }
  }
  return { tp, fp, fn };
}

/** Precision and recall of lab tags and of version keys over a labelled set. */
export function scoreEntities(matcher: EntityMatcher, set: Labelled[]) {
  const labs = { tp: 0, fp: 0, fn: 0 };
  const versions = { tp: 0, fp: 0, fn: 0 };
  const errors: string[] = [];
  for (const e of set) {
    const r = matcher.match(e.text);
    const l = compare(r.labs, e.labs, 'lab', e.text, errors);
    const v = compare(
      r.versions.map((x) => x.key),
      e.versions,
      'version',
      e.text,
      errors,
    );
    labs.tp += l.tp;
    labs.fp += l.fp;
    labs.fn += l.fn;
    versions.tp += v.tp;
    versions.fp += v.fp;
    versions.fn += v.fn;
  }
  return {
    precision: labs.tp / (labs.tp + labs.fp),
    recall: labs.tp / (labs.tp + labs.fn),
    versionPrecision: versions.tp / (versions.tp + versions.fp),
    versionRecall: versions.tp / (versions.tp + versions.fn),
    errors,
  };
}
