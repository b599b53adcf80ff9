/** An element as xml2js builds it: a string, or an object with text in `_` and attributes in `$`. */
export type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown } | undefined;

/** The attributes of an xml2js node. */
export function attrs(node: unknown): Record<string, string> {
  if (node && typeof node === 'object' && '$' in node) return (node as { $: Record<string, string> }).$ ?? {};
  return {};
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function hasElementChildren(o: Record<string, unknown>): boolean {
  return Object.keys(o).some((k) => k !== '_' && k !== '$');
}

/**
 * The content of an element as markup-bearing text. Text-only elements give their text as is (for
 * escaped HTML that is the HTML source). Elements with inline children (XHTML, naked markup) are
 * re-serialised: child elements as tags, their text escaped, so entities stay text.
 */
export function nodeText(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(nodeText).join(' ');
  if (typeof node !== 'object') return String(node);
  const o = node as Record<string, unknown>;
  if (!hasElementChildren(o)) return typeof o._ === 'string' ? o._ : '';
  return serialize(o);
}

/** Deeper inline markup than any article uses; a hostile feed nesting thousands of levels is cut here. */
const MAX_DEPTH = 100;

function serialize(o: Record<string, unknown>, depth = 0): string {
  let out = typeof o._ === 'string' ? escapeXml(o._) : '';
  if (depth >= MAX_DEPTH) return out;
  for (const [key, value] of Object.entries(o)) {
    if (key === '_' || key === '$') continue;
    const tag = key.replace(/^.*:/, '');
    const wrap = /^[a-z][a-z0-9]*$/i.test(tag);
    for (const child of Array.isArray(value) ? value : [value]) {
      const inner =
        typeof child === 'string'
          ? escapeXml(child)
          : child && typeof child === 'object'
            ? serialize(child as Record<string, unknown>, depth + 1)
            : '';
      out += wrap ? `<${tag}>${inner}</${tag}> ` : inner;
    }
  }
  return out;
}

/** Text of the first node in an xml2js array, decoding Atom 0.3 `mode="base64"`. */
export function firstText(nodes: unknown): { text: string; type: string | null } | null {
  const node = Array.isArray(nodes) ? nodes[0] : nodes;
  if (node === undefined) return null;
  const a = attrs(node);
  let text = nodeText(node);
  // Atom 0.3 mode="base64"; Atom 1.0 says a non-text, non-XML MIME type means base64 (RFC 4287 4.1.3.3).
  const binaryType = !!a.type && a.type.includes('/') && !/^text\/|[/+]xml$/i.test(a.type);
  if (a.mode === 'base64' || binaryType) text = decodeBase64Text(text) ?? text;
  return { text, type: a.type ?? null };
}

/** Base64 to UTF-8 text, or null when the input is not base64 of valid UTF-8 (then it was plain text). */
function decodeBase64Text(s: string): string | null {
  const compact = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return null;
  }
}
