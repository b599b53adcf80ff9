const TRACKING =
  /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref|ref_src|ref_url|referrer|source|cmpid|ocid|ncid|sr_share|spm|share|s_cid|at_medium|at_campaign|rss|taid)$/i;

/**
 * Session identifiers servers put in links (Java, PHP, classic ASP, ColdFusion, osCommerce/Zen Cart and
 * generic names). A feed that hands out a fresh one on every request would otherwise store its entries
 * again on every poll.
 */
const SESSION =
  /^(sid|sessid|sess_id|sessionid|session_id|session-id|jsessionid|phpsessid|aspsessionid[a-z]*|asp\.net_sessionid|cfid|cftoken|zenid|oscsid|bv_sessionid|bv_engineid)$/i;
/** `;jsessionid=…` and its kin written into the path rather than the query. */
const PATH_SESSION = /;(?:jsessionid|phpsessid|sessionid|sid)=[^/;?#]*/gi;
/** ASP.NET's cookieless session segment: `/(S(lit3py55t21z5v55vlm25s55))/page.aspx`. */
const ASPNET_SEGMENT = /\/\((?:[A-Z]\([^()/]*\))+\)(?=\/|$)/g;
/**
 * `sid` is also some old CMSs' story id (PHP-Nuke `article&sid=123`, Slashdot `sid=05/01/01/1234`): a
 * short number (up to seven digits) or a date path is kept, as dropping it would make every story of such a feed one URL.
 */
const STORY_ID = /^\d{1,7}$|^\d+(?:\/\d+)+$/;

function isSessionParam(key: string, value: string): boolean {
  if (!SESSION.test(key)) return false;
  return !(key.toLowerCase() === 'sid' && STORY_ID.test(value));
}

/**
 * The form of a URL used for identity across feeds: lower-case host, no fragment, no default port,
 * no tracking or session parameters, no trailing "?" or "/" on a path. Returns null for non-http(s) input.
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
  if (u.pathname.includes(';') || u.pathname.includes('(')) {
    u.pathname = u.pathname.replace(PATH_SESSION, '').replace(ASPNET_SEGMENT, '') || '/';
  }
  if (u.search) {
    for (const [key, value] of [...u.searchParams])
      if (TRACKING.test(key) || isSessionParam(key, value)) u.searchParams.delete(key);
    u.searchParams.sort();
  }
  let s = u.toString();
  if (s.endsWith('?')) s = s.slice(0, -1);
  if (u.pathname.length > 1 && u.pathname.endsWith('/') && !u.search) s = s.replace(/\/$/, '');
  return s;
}
