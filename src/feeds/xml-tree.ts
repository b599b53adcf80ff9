import { QuoteType, Tokenizer } from 'htmlparser2';

/** The xml2js options rss-parser is given (see parse-feed.ts); every other option keeps its default. */
export interface XmlTreeOptions {
  strict?: boolean;
  tagNameProcessors?: ((name: string) => string)[];
  attrNameProcessors?: ((name: string) => string)[];
}

type Node = Record<string, unknown>;

/** Thrown inside the tokenizer's callbacks to stop at the first construct only xml2js may judge. */
class Decline extends Error {}

const NAME = /^[A-Za-z_][\w.:-]*$/;
/** Element names xml2js uses for its own bookkeeping on the same object as the children. */
const RESERVED = new Set(['_', '$', '#name', 'cdata']);
const NAMED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** The XML `Char` production: sax rejects character references outside it. */
function isXmlChar(n: number): boolean {
  return (
    n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || n >= 0x10000
  );
}

/**
 * Decodes the five XML entities and character references as sax does; anything else (a bare '&', an
 * HTML entity) is for xml2js to judge. A scan rather than a regex callback: escaped HTML bodies carry
 * hundreds of entities per item.
 */
function decode(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp);
    if (semi < 0 || semi - amp > 10) throw new Decline();
    // &lt; and &gt; are most of the entities in escaped HTML bodies: no slice or lookup for them.
    let ch: string | undefined;
    if (semi - amp === 3 && s.charCodeAt(amp + 2) === 0x74 /* t */) {
      const c = s.charCodeAt(amp + 1);
      ch = c === 0x6c /* l */ ? '<' : c === 0x67 /* g */ ? '>' : undefined;
    }
    const name = ch === undefined ? s.slice(amp + 1, semi) : '';
    ch ??= NAMED.get(name);
    if (ch === undefined) {
      const n = /^#[0-9]+$/.test(name)
        ? Number.parseInt(name.slice(1), 10)
        : /^#x[0-9a-fA-F]+$/.test(name)
          ? Number.parseInt(name.slice(2), 16)
          : -1;
      if (n < 0 || n > 0x10ffff || !isXmlChar(n)) throw new Decline();
      ch = String.fromCodePoint(n);
    }
    out += s.slice(last, amp) + ch;
    last = semi + 1;
    amp = s.indexOf('&', last);
  }
  return out + s.slice(last);
}

const apply = (fns: ((name: string) => string)[] | undefined, name: string) =>
  fns ? fns.reduce((n, f) => f(n), name) : name;

/**
 * Builds exactly the object xml2js (strict, default options) builds for a well-formed document, from
 * htmlparser2's tokenizer, which is several times faster than xml2js's sax: the XML pass was three
 * quarters of rss-parser's time. Returns null for any document where the two could differ (a DOCTYPE,
 * an entity other than the XML five, malformed markup, lenient mode): xml2js then parses it as before.
 * A conformance test compares both over every file in the shared feed corpus.
 */
export function readXmlTree(input: string, options: XmlTreeOptions = {}): Node | null {
  // Tests that stop at the first match: a whole feed is megabytes, and trim() would copy it.
  if (options.strict === false || !/\S/.test(input)) return null;
  const xml = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (/<!doctype/i.test(xml)) return null;

  const stack: Node[] = [];
  const rawNames: string[] = [];
  let current: Node | null = null; // the element whose start tag is being read
  let currentRaw = '';
  let attrName = '';
  let attrValue = '';
  let sawRoot = false;
  let result: Node | null = null;

  const close = () => {
    let obj: unknown = stack.pop() as Node;
    rawNames.pop();
    const node = obj as Node;
    const nodeName = node['#name'] as string;
    delete node['#name'];
    let cdata = false;
    if (node.cdata === true) {
      cdata = true;
      delete node.cdata;
    }
    let emptyStr: string | undefined;
    if (/^\s*$/.test(node._ as string) && !cdata) {
      emptyStr = node._ as string;
      delete node._;
    } else if (Object.keys(node).length === 1 && '_' in node) {
      obj = node._;
    }
    if (typeof obj === 'object' && Object.keys(obj as Node).length === 0) obj = emptyStr;
    const parent = stack[stack.length - 1];
    if (parent) {
      const existing = parent[nodeName];
      if (existing === undefined) parent[nodeName] = [obj];
      else if (Array.isArray(existing)) existing.push(obj);
      else parent[nodeName] = [existing, obj];
    } else {
      result = Object.create(null) as Node;
      result[nodeName] = obj;
    }
  };

  const openEnd = () => {
    const node = current as Node;
    const name = apply(options.tagNameProcessors, currentRaw);
    if (RESERVED.has(name)) throw new Decline();
    node['#name'] = name;
    stack.push(node);
    rawNames.push(currentRaw);
    current = null;
  };

  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname(start, end) {
        if (result) throw new Decline(); // a second root
        currentRaw = xml.slice(start, end);
        if (!NAME.test(currentRaw)) throw new Decline();
        sawRoot = true;
        current = Object.create(null) as Node;
        current._ = '';
      },
      onattribname(start, end) {
        attrName = xml.slice(start, end);
        if (!NAME.test(attrName) || !/\s/.test(xml[start - 1] ?? '')) throw new Decline();
        attrValue = '';
      },
      onattribdata(start, end) {
        attrValue += xml.slice(start, end);
      },
      onattribentity() {
        throw new Decline(); // not emitted with decodeEntities off
      },
      onattribend(quote) {
        if (quote !== QuoteType.Double && quote !== QuoteType.Single) throw new Decline();
        const node = current as Node;
        node.$ ??= Object.create(null);
        const attrs = node.$ as Node;
        const key = apply(options.attrNameProcessors, attrName);
        if (key in attrs) throw new Decline(); // a repeated attribute
        attrs[key] = decode(attrValue);
      },
      onopentagend() {
        openEnd();
      },
      onselfclosingtag() {
        openEnd();
        close();
      },
      onclosetag(start, end) {
        const name = xml.slice(start, end);
        const gt = xml.indexOf('>', end);
        if (rawNames[rawNames.length - 1] !== name || gt < 0 || xml.slice(end, gt).trim() !== '') throw new Decline();
        close();
      },
      ontext(start, end) {
        const text = xml.slice(start, end);
        const top = stack[stack.length - 1];
        if (!top) {
          if (text.trim() !== '') throw new Decline(); // text outside the root element
          return;
        }
        if (text.includes('<')) throw new Decline(); // an unencoded '<' the tokenizer passed as text
        top._ += decode(text);
      },
      ontextentity() {
        throw new Decline();
      },
      oncdata(start, end, offset) {
        const top = stack[stack.length - 1];
        if (!top) throw new Decline();
        top._ += xml.slice(start, end - offset);
        top.cdata = true;
      },
      oncomment(start, end, offset) {
        const body = xml.slice(start, end - offset);
        if (body.includes('--') || body.endsWith('-')) throw new Decline();
      },
      ondeclaration() {
        throw new Decline();
      },
      onprocessinginstruction() {},
      onend() {},
    },
  );
  try {
    tokenizer.write(xml);
    tokenizer.end();
  } catch (err) {
    if (err instanceof Decline) return null;
    throw err;
  }
  return sawRoot && result && stack.length === 0 ? result : null;
}

interface Xml2jsLike {
  parseString(xml: string, cb: (err: Error | null, result?: unknown) => void): unknown;
}

/**
 * Gives an rss-parser instance the fast tree builder, keeping its own xml2js parser for the documents
 * the builder declines. rss-parser's mapping from tree to feed is unchanged.
 */
export function useXmlTree(parser: object, options: XmlTreeOptions): void {
  const target = parser as { xmlParser?: Xml2jsLike };
  const xml2js = target.xmlParser;
  // rss-parser keeps its xml2js parser on this property (pinned at 3.13.0); fail loudly if that changes.
  if (typeof xml2js?.parseString !== 'function') throw new Error('feeds: rss-parser no longer exposes xmlParser');
  target.xmlParser = {
    parseString(xml, cb) {
      const tree = readXmlTree(xml, options);
      if (tree) cb(null, tree);
      else xml2js.parseString(xml, cb);
    },
  };
}
