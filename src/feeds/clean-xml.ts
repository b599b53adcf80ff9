import { decodeHTML } from 'entities';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// XML 1.0 forbids these characters anywhere; real feeds still contain them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const CDATA = /(<!\[CDATA\[[\s\S]*?\]\]>)/;

/**
 * Makes real-world XML acceptable to a strict parser without changing its meaning: drops the DOCTYPE
 * (so no entity can be declared, expanded or fetched), replaces HTML named entities by their characters,
 * escapes bare ampersands and removes characters XML forbids. CDATA sections are left untouched.
 */
export function cleanXml(xml: string): string {
  // Only a DOCTYPE in the prolog; the same text inside CDATA further down is content.
  const noDoctype = xml.replace(
    /^((?:\s*<\?[^>]*>|\s*<!--[\s\S]*?-->)*\s*)<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)/i,
    '$1',
  );
  return noDoctype
    .split(CDATA)
    .map((part, i) => (i % 2 === 1 ? part : fixEntities(part)))
    .join('')
    .replace(ILLEGAL_CHARS, '');
}

function fixEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+;|#[0-9]+;|[A-Za-z][A-Za-z0-9]*;?)?/g, (whole, ref: string | undefined) => {
    if (!ref) return '&amp;';
    if (ref.startsWith('#')) return validCharRef(ref) ? whole : '';
    if (!ref.endsWith(';')) return `&amp;${ref}`;
    const name = ref.slice(0, -1);
    if (XML_ENTITIES.has(name)) return whole;
    const decoded = decodeHTML(whole);
    if (decoded === whole) return `&amp;${ref}`; // unknown entity: keep it as literal text
    return [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
  });
}

function validCharRef(ref: string): boolean {
  const n = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
  return (
    n === 0x9 ||
    n === 0xa ||
    n === 0xd ||
    (n >= 0x20 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd) ||
    (n >= 0x10000 && n <= 0x10ffff)
  );
}
