/** An element as xml2js builds it: a string, or an object with text in `_` and attributes in `$`. */
export type XmlNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown } | undefined;

/** The attributes of an xml2js node. */
export function attrs(node: unknown): Record<string, string> {
  if (node && typeof node === 'object' && '$' in node) return (node as { $: Record<string, string> }).$ ?? {};
  return {};
}

/**
 * The content of an element as markup-bearing text: its own text followed by its children's, in
 * document order as far as xml2js keeps it. Inline XHTML children are re-wrapped as tags so block
 * structure survives the later HTML-to-text step.
 */
export function nodeText(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(nodeText).join(' ');
  if (typeof node !== 'object') return String(node);
  const o = node as Record<string, unknown>;
  let out = typeof o._ === 'string' ? o._ : '';
  for (const [key, value] of Object.entries(o)) {
    if (key === '_' || key === '$') continue;
    const tag = key.replace(/^.*:/, '');
    for (const child of Array.isArray(value) ? value : [value]) {
      out += /^[a-z][a-z0-9]*$/i.test(tag) ? `<${tag}>${nodeText(child)}</${tag}> ` : nodeText(child);
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
  if (a.mode === 'base64') {
    try {
      text = Buffer.from(text.trim(), 'base64').toString('utf8');
    } catch {}
  }
  return { text, type: a.type ?? null };
}
