import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import { addressProblem, checkUrl, createGuardedLookup } from '../../src/feeds/url-guard.js';

describe('checkUrl', () => {
  it.each([
    ['loopback', 'http://127.0.0.1/feed'],
    ['loopback, other /8 address', 'http://127.1.2.3/'],
    ['decimal spelling of 127.0.0.1', 'http://2130706433/'],
    ['hex spelling', 'http://0x7f000001/'],
    ['octal spelling', 'http://0177.0.0.1/'],
    ['short dotted', 'http://127.1/'],
    ['private 10/8', 'http://10.0.0.5/'],
    ['private 192.168/16', 'http://192.168.1.1/'],
    ['private 172.16/12', 'http://172.20.0.1/'],
    ['link-local', 'http://169.254.10.10/'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'http://100.64.1.1/'],
    ['multicast', 'http://224.0.0.1/'],
    ['unspecified', 'http://0.0.0.0/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv6 unique local', 'http://[fd00::1]/'],
    ['IPv6 link-local', 'http://[fe80::1]/'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6 in hex', 'http://[::ffff:7f00:1]/'],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
    ['IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]/'],
    ['IPv4-compatible IPv6 private, in hex', 'http://[::a00:5]/'],
    ['IPv4-translated IPv6 loopback', 'http://[::ffff:0:127.0.0.1]/'],
    ['NAT64 loopback', 'http://[64:ff9b::127.0.0.1]/'],
    ['NAT64 metadata', 'http://[64:ff9b::a9fe:a9fe]/'],
    ['6to4 loopback', 'http://[2002:7f00:1::]/'],
    ['6to4 private', 'http://[2002:c0a8:101::1]/'],
  ])('refuses %s', (_name, url) => {
    expect(() => checkUrl(url, false)).toThrowError(/refused/);
  });

  it.each([
    ['file', 'file:///etc/passwd'],
    ['ftp', 'ftp://example.com/feed'],
    ['javascript', 'javascript:alert(1)'],
    ['gopher', 'gopher://example.com/'],
  ])('refuses the %s scheme', (_name, url) => {
    try {
      checkUrl(url, false);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'url_forbidden')).toBe(true);
    }
  });

  it('rejects text that is not a URL with a hint', () => {
    expect(() => checkUrl('not a url', false)).toThrowError(/not a valid URL/);
  });

  it('accepts public addresses and host names', () => {
    expect(checkUrl('https://openai.com/news/rss.xml', false).host).toBe('openai.com');
    expect(checkUrl('http://8.8.8.8/feed', false).host).toBe('8.8.8.8');
    expect(checkUrl('http://[2606:4700::1111]/', false).hostname).toBe('[2606:4700::1111]');
  });

  it('allows loopback and private networks only when opted in, never metadata or link-local', () => {
    expect(() => checkUrl('http://127.0.0.1:8080/', true)).not.toThrow();
    expect(() => checkUrl('http://10.1.2.3/', true)).not.toThrow();
    expect(() => checkUrl('http://169.254.169.254/', true)).toThrowError(/metadata/);
    expect(() => checkUrl('http://169.254.1.1/', true)).toThrowError(/linkLocal/);
    expect(() => checkUrl('http://0.0.0.0/', true)).toThrowError(/unspecified/);
  });
});

describe('addressProblem', () => {
  it('unwraps IPv4-mapped IPv6 before classifying', () => {
    expect(addressProblem('::ffff:10.0.0.1', false)).toMatch(/private/);
    expect(addressProblem('::ffff:8.8.8.8', false)).toBeNull();
  });

  it('judges an IPv6 spelling that embeds an IPv4 address by the IPv4 address it leads to', () => {
    expect(addressProblem('::7f00:1', false)).toBe('::7f00:1 embeds 127.0.0.1, a loopback address');
    expect(addressProblem('64:ff9b::7f00:1', false)).toMatch(/embeds 127\.0\.0\.1, a loopback/);
    expect(addressProblem('2002:a9fe:a9fe::1', true)).toMatch(/embeds 169\.254\.169\.254, a cloud metadata/);
    // A NAT64 network maps public IPv4 hosts into 64:ff9b::/96; those stay reachable.
    expect(addressProblem('64:ff9b::808:808', false)).toBeNull();
    expect(addressProblem('::1', false)).toMatch(/loopback/);
    expect(addressProblem('::', false)).toMatch(/unspecified/);
  });
});

describe('createGuardedLookup', () => {
  const fakeResolve = (addresses: { address: string; family: number }[]) =>
    ((_host: string, _opts: unknown, cb: (e: null, a: typeof addresses) => void) => cb(null, addresses)) as never;

  it('refuses a host name that resolves only to private addresses (checked after DNS)', async () => {
    const lookup = createGuardedLookup(false, fakeResolve([{ address: '10.0.0.7', family: 4 }]));
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('intranet.example', { all: true }, (e) => resolve(e)),
    );
    expect(err?.code).toBe('EFORBIDDEN');
    expect(err?.message).toMatch(/intranet\.example.*private/);
  });

  it('refuses a host name that resolves to an IPv6 spelling of a loopback IPv4 address', async () => {
    const lookup = createGuardedLookup(false, fakeResolve([{ address: '::7f00:1', family: 6 }]));
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('sneaky.example', { all: true }, (e) => resolve(e)),
    );
    expect(err?.code).toBe('EFORBIDDEN');
    expect(err?.message).toMatch(/embeds 127\.0\.0\.1/);
  });

  it('keeps only the public addresses of a mixed answer (no rebinding to the private one)', async () => {
    const lookup = createGuardedLookup(
      false,
      fakeResolve([
        { address: '127.0.0.1', family: 4 },
        { address: '93.184.216.34', family: 4 },
      ]),
    );
    const got = await new Promise<unknown>((resolve) => lookup('mixed.example', { all: true }, (_e, a) => resolve(a)));
    expect(got).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});
