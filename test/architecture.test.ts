import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The layer rules of DESIGN.md §2, enforced from the import statements. */
const SRC = join(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const sources = files(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const imports = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
  return { rel: relative(SRC, path), module: relative(SRC, path).split('/')[0] as string, text, imports };
});

/** Which src/ folder may import a package; a package not listed may be imported anywhere. */
const OWNERS: [RegExp, string][] = [
  [/^rss-parser$/, 'feeds'],
  [/^better-sqlite3$/, 'store'],
  [/^pg$/, 'store'],
  [/^openai(\/|$)/, 'summarize'],
  [/^@slack\//, 'slack'],
  [/^node-cron$/, 'scheduler'],
  [/^@napi-rs\/canvas$/, 'charts'],
  [/^@modelcontextprotocol\//, 'mcp'],
];

/** Folders that are core logic: they never reach up into the front ends. */
const CORE = [
  'core',
  'config',
  'feeds',
  'store',
  'summarize',
  'catalog',
  'stories',
  'ingest',
  'digest',
  'ask',
  'watch',
  'commands',
  'charts',
  'share',
];
const FRONT_ENDS = ['slack', 'cli', 'scheduler', 'mcp', 'main.ts'];

describe('architecture', () => {
  it('finds the source files', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it.each(OWNERS.map(([re, owner]) => [re.source, owner] as const))(
    'only src/%s… package is imported by its owner (%s)',
    (pattern, owner) => {
      const re = new RegExp(pattern);
      const offenders = sources
        .filter((s) => s.module !== owner && s.imports.some((i) => re.test(i)))
        .map((s) => s.rel);
      expect(offenders).toEqual([]);
    },
  );

  it('core logic never imports Slack, the CLI, the scheduler or main', () => {
    const offenders = sources
      .filter((s) => CORE.includes(s.module))
      .flatMap((s) =>
        s.imports
          .filter((i) => i.startsWith('.') && FRONT_ENDS.some((f) => i.includes(`/${f.replace('.ts', '')}`)))
          .map((i) => `${s.rel} -> ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it('only src/config reads process.env', () => {
    const offenders = sources.filter((s) => s.module !== 'config' && /process\.env\b/.test(s.text)).map((s) => s.rel);
    expect(offenders).toEqual([]);
  });

  it('only src/core reads the wall clock', () => {
    const offenders = sources
      .filter((s) => s.module !== 'core' && /new Date\(\)|Date\.now\(\)/.test(s.text))
      .map((s) => s.rel);
    expect(offenders).toEqual([]);
  });

  it('write transactions open in one place per engine (Sql.write) and the migrators', () => {
    const owners = ['store/sqlite-sql.ts', 'store/postgres-sql.ts', 'store/migrate.ts', 'store/migrate-postgres.ts'];
    const offenders = sources
      .filter((s) => !owners.includes(s.rel))
      .filter((s) => /\.transaction\(|\bBEGIN\b|\bSAVEPOINT\b/.test(s.text))
      .map((s) => s.rel);
    expect(offenders).toEqual([]);
  });

  it('nothing runs at import time except the entry points', () => {
    const offenders = sources
      .filter((s) => !['main.ts', 'cli/index.ts'].includes(s.rel))
      .filter((s) => /^(await |[a-zA-Z_$][\w$.]*\([^)]*\);?\s*$)/m.test(s.text.replace(/^\s+.*$/gm, '')))
      .map((s) => s.rel);
    expect(offenders).toEqual([]);
  });
});
