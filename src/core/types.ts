/** A feed subscription as stored. */
export interface Feed {
  id: number;
  url: string;
  /**
   * `feed` (RSS/Atom/JSON Feed), `openrouter-models` (a model list an admin added: new entries are releases)
   * or `builtin` (the row that owns a built-in source's items; never polled or listed as a feed).
   */
  kind: 'feed' | 'openrouter-models' | 'builtin';
  title: string | null;
  siteUrl: string | null;
  tags: string[];
  etag: string | null;
  lastModified: string | null;
  nextCheckAt: string;
  errorCount: number;
  lastError: string | null;
  lastErrorCode: string | null;
  lastSuccessAt: string | null;
  pausedAt: string | null;
  createdAt: string;
}

/** One entry as a parser saw it, before normalization. */
export interface ParsedItem {
  guid: string | null;
  title: string | null;
  link: string | null;
  html: string | null;
  date: string | null;
  author: string | null;
  categories: string[];
  language: string | null;
}

/** A feed document as a parser saw it. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json';
  title: string | null;
  link: string | null;
  language: string | null;
  items: ParsedItem[];
}

/** An item ready to store: plain text, absolute canonical URL, ISO date and identity hash. */
export interface NormalizedItem {
  guid: string | null;
  url: string | null;
  canonicalUrl: string | null;
  title: string;
  text: string;
  author: string | null;
  language: string | null;
  publishedAt: string;
  dateSource: 'feed' | 'first-seen' | 'clamped';
  contentHash: string;
}
