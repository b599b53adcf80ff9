import iconv from 'iconv-lite';

const ALIASES: Record<string, string> = {
  'x-sjis': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

function normalizeLabel(label: string | undefined | null): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  const name = ALIASES[l] ?? l;
  return iconv.encodingExists(name) ? name : null;
}

/** The encoding a byte-order mark or the first bytes of an XML document announce. */
function sniffBom(b: Buffer): { encoding: string; skip: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return { encoding: 'utf-32le', skip: 4 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  // No BOM: `<?` in a wide encoding (XML 1.0 appendix F).
  const head = b.subarray(0, 4).toString('hex');
  if (head === '0000003c') return { encoding: 'utf-32be', skip: 0 };
  if (head === '3c000000') return { encoding: 'utf-32le', skip: 0 };
  if (head === '003c003f') return { encoding: 'utf-16be', skip: 0 };
  if (head === '3c003f00') return { encoding: 'utf-16le', skip: 0 };
  return null;
}

/** The charset parameter of a Content-Type header. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return m?.[2] ?? null;
}

/**
 * Turns feed bytes into text. Precedence: byte-order mark (it cannot lie), then the HTTP charset,
 * then the XML declaration, then UTF-8. Returns the text and the encoding used.
 */
export function decodeBody(body: Buffer, contentType?: string | null): { text: string; encoding: string } {
  const bom = sniffBom(body);
  if (bom) return { text: stripBom(iconv.decode(body.subarray(bom.skip), bom.encoding)), encoding: bom.encoding };
  const fromHttp = normalizeLabel(charsetFromContentType(contentType));
  if (fromHttp) return { text: stripBom(iconv.decode(body, fromHttp)), encoding: fromHttp };
  const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(
    body.subarray(0, 200).toString('latin1'),
  );
  const fromDecl = normalizeLabel(decl?.[1]);
  if (fromDecl) return { text: stripBom(iconv.decode(body, fromDecl)), encoding: fromDecl };
  return { text: stripBom(body.toString('utf8')), encoding: 'utf-8' };
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
