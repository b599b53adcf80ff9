import { compile } from 'html-to-text';

const convert = compile({
  wordwrap: false,
  preserveNewlines: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'embed', format: 'skip' },
    { selector: 'figure', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

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

/** Converts feed HTML to plain text (no links, images or scripts) and drops generator boilerplate. */
export function htmlToPlain(html: string | null | undefined): string {
  if (!html) return '';
  const hasMarkup = /[<&]/.test(html);
  const text = hasMarkup ? convert(html) : html;
  return text
    .split(/\n+/)
    .map((l) => l.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((l) => l.length > 0 && !BOILERPLATE.some((re) => re.test(l)))
    .join('\n')
    .replace(/\s*\[(…|\.\.\.)\]\s*$/u, '…');
}
