const TRACKING =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref|ref_src|ref_url|referrer|source|cmpid|ocid|ncid|sr_share|spm|share|s_cid|at_medium|at_campaign|rss|taid)$/i;

/**
 * The form of a URL used for identity across feeds: lower-case host, no fragment, no default port,
 * no tracking parameters, no trailing "?" or "/" on a path. Returns null for non-http(s) input.
 */
export function canonicalUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  if (u.search) {
    for (const key of [...u.searchParams.keys()]) if (TRACKING.test(key)) u.searchParams.delete(key);
    u.searchParams.sort();
  }
  let s = u.toString();
  if (s.endsWith('?')) s = s.slice(0, -1);
  if (u.pathname.length > 1 && u.pathname.endsWith('/') && !u.search) s = s.replace(/\/$/, '');
  return s;
}
