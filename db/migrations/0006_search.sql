-- Substring search for scripts without spaces (Chinese, Japanese): a trigram index over stories,
-- next to the word index (stories_fts) that serves everything else.
CREATE VIRTUAL TABLE stories_trigram USING fts5(title, body, tokenize='trigram');

-- Term document counts, so search can set aside words too common to tell stories apart.
CREATE VIRTUAL TABLE stories_vocab USING fts5vocab(stories_fts, 'row');
