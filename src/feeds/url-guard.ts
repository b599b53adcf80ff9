import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../core/errors.js';

/** Ranges an intranet deployment may opt into with ALLOW_PRIVATE_FEED_URLS. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);
/** Addresses that identify cloud metadata services, refused even when private URLs are allowed. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

/** What kind of forbidden address this is ("a loopback address"), or null when it may be fetched. */
function kindProblem(addr: ipaddr.IPv4 | ipaddr.IPv6, allowPrivate: boolean): string | null {
  const text = addr.toString();
  if (METADATA.has(text)) return 'a cloud metadata address';
  const range = addr.range();
  if (range === 'unicast') return null;
  if (allowPrivate && PRIVATE_RANGES.has(range)) return null;
  return `a ${range} address`;
}

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);

/**
 * The IPv4 address an IPv6 spelling carries, for the forms a request can be routed through to it:
 * IPv4-compatible `::a.b.c.d` (which the URL parser writes as `::7f00:1`), IPv4-translated
 * `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:AABB:CCDD::`. IPv4-mapped
 * `::ffff:a.b.c.d` is unwrapped by ipaddr.process already.
 */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = addr.parts;
  const zero4 = a === 0 && b === 0 && c === 0 && d === 0;
  if (zero4 && e === 0 && f === 0 && (g !== 0 || h > 1)) return v4(g, h); // not :: or ::1
  if (zero4 && e === 0xffff && f === 0) return v4(g, h);
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return v4(g, h);
  if (a === 0x2002) return v4(b, c);
  return null;
}

/**
 * Why an address may not be fetched, or null when it may. Only public unicast passes by default;
 * `allowPrivate` adds loopback and private networks, never link-local, metadata, multicast or unspecified.
 * An IPv6 address that embeds an IPv4 one is judged by the IPv4 address it leads to.
 */
export function addressProblem(ip: string, allowPrivate: boolean): string | null {
  if (!ipaddr.isValid(ip)) return `"${ip}" is not an IP address`;
  const addr = ipaddr.process(ip); // unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1)
  const text = addr.toString();
  if (addr.kind() === 'ipv6') {
    const inner = embeddedIPv4(addr as ipaddr.IPv6);
    if (inner) {
      const problem = kindProblem(inner, allowPrivate);
      return problem ? `${text} embeds ${inner.toString()}, ${problem}` : null;
    }
  }
  const problem = kindProblem(addr, allowPrivate);
  return problem ? `${text} is ${problem}` : null;
}

/**
 * Checks a URL before any request or redirect hop: http(s) only, no forbidden IP literal. Decimal,
 * octal and hex IPv4 spellings are normalised by the WHATWG parser before the check. Returns the URL.
 */
export function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('url_invalid', `feeds: "${raw.slice(0, 200)}" is not a valid URL; give a full http(s) address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('url_forbidden', `feeds: only http and https URLs can be fetched, not ${url.protocol}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const problem = addressProblem(host, allowPrivate);
    if (problem) throw forbidden(url, problem, allowPrivate);
  }
  return url;
}

function forbidden(url: URL, problem: string, allowPrivate: boolean): AppError {
  const hint = allowPrivate ? '' : ' (set ALLOW_PRIVATE_FEED_URLS=true to allow private networks)';
  return new AppError('url_forbidden', `feeds: refused ${url.host}: ${problem}${hint}`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` replacement for the HTTP agent: resolves, then drops forbidden addresses, so the check
 * happens on the address actually connected to (no DNS-rebinding gap) on every request and redirect.
 */
export function createGuardedLookup(allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const opts: LookupOptions = typeof options === 'number' ? { family: options } : options;
    resolve(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const allowed = list.filter((a) => addressProblem(a.address, allowPrivate) === null);
      if (allowed.length === 0) {
        const first = list[0]?.address ?? 'no address';
        const problem = addressProblem(first, allowPrivate) ?? 'no address';
        const e = Object.assign(new Error(`feeds: refused ${hostname}: resolves to ${problem}`), {
          code: 'EFORBIDDEN',
        });
        return callback(e, []);
      }
      if (opts.all) return callback(null, allowed);
      const a = allowed[0] as LookupAddress;
      return callback(null, a.address, a.family);
    });
  };
}
