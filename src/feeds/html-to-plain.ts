import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader would see. */
const SKIP = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'applet',
  'frameset',
  'frame',
  'noscript',
  'template',
  'svg',
  'math',
  'figure',
  'video',
  'audio',
  'canvas',
  'head',
  'title',
  'button',
  'select',
  'form',
]);
/** Elements that start a new line. */
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'thead',
  'tbody',
  'blockquote',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'pre',
  'hr',
  'figcaption',
  'main',
  'nav',
  'address',
]);
const CELL = new Set(['td', 'th']);
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

// Lines feed generators append that say nothing about the story.
const BOILERPLATE = [
  /^the post .{1,300} (appeared|first appeared) (first )?on .{1,200}\.?$/i,
  /^(continue|keep) reading.{0,80}$/i,
  /^read (the )?(full|more|rest).{0,80}$/i,
  /^(leer|seguir leyendo|lire la suite|weiterlesen|阅读全文|阅读更多|查看全文)\S{0,20}.{0,40}$/i,
  /^\[?(…|\.\.\.)\]?$/,
  /^(this (article|post) (was )?(originally )?(published|appeared) (on|at|in) .{1,200})$/i,
  /^(comments|discuss|share this|follow us).{0,40}$/i,
];

/**
 * Converts feed HTML to plain text: visible text only (no scripts, styles, embeds, images or link
 * targets), one line per block, whitespace collapsed, generator boilerplate dropped. Built on
 * htmlparser2's streaming tokenizer rather than a DOM-and-formatter library: ingest calls this for every
 * item, and the streaming pass is several times faster (see `npm run bench`).
 */
export function htmlToPlain(html: string | null | undefined): string {
  if (!html) return '';
  const text = /[<&]/.test(html) ? extractText(html) : html;
  return text
    .split(/\n+/)
    .map((l) =>
      l
        .replace(CONTROL_CHARS, '')
        .replace(/[\s\u00a0\u200b]+/g, ' ')
        .trim(),
    )
    .filter((l) => l.length > 0 && !BOILERPLATE.some((re) => re.test(l)))
    .join('\n')
    .replace(/\s*\[(…|\.\.\.)\]\s*$/u, '…');
}

function extractText(html: string): string {
  let out = '';
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++;
        else if (BLOCK.has(name)) out += '\n';
        else if (CELL.has(name)) out += ' ';
      },
      onclosetag(name, isImplied) {
        if (SKIP.has(name)) {
          if (skipDepth > 0) skipDepth--;
        } else if (BLOCK.has(name) && !isImplied) out += '\n';
      },
      ontext(data) {
        if (skipDepth === 0) out += data;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out;
}
