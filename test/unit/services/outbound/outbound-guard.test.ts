/**
 * The outbound guard: which addresses and URLs may be called, in every
 * spelling the URL parser accepts; names resolved through an injected
 * resolver (this machine has no DNS to rely on); and the guarded request
 * against local servers: it connects only to checked addresses, follows no
 * redirect, and bounds time and answer size. Addresses that must never be
 * reached are refused before any packet; where a bug could send one, the
 * address used is 0.0.0.0, which Linux delivers to this machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnprocessableError } from '#shared/domain/errors.js';
import {
  checkOutboundUrl,
  forbiddenAddressReason,
  guardedRequest,
  type OutboundPolicy,
  OutboundRefusedError,
  OutboundTimeoutError,
  type ResolvedAddress,
  SAVE_RESOLVE_TIMEOUT_MS,
} from '#shared/services/outbound/outbound-guard.js';

/** A resolver answering from a table; unknown names fail as the system resolver does. */
function resolverOf(table: Record<string, readonly string[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<readonly ResolvedAddress[]> => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

const DNS = {
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.com': ['10.0.0.5'],
  'metadata.example.com': ['169.254.169.254'],
  'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
  'ula.example.com': ['fd00::5'],
  'mapped.example.com': ['::ffff:169.254.169.254'],
  localhost: ['127.0.0.1', '::1'],
};
const strict: OutboundPolicy = { allowLoopback: false, resolve: resolverOf(DNS).resolve };
const local: OutboundPolicy = { allowLoopback: true, resolve: resolverOf(DNS).resolve };

describe('forbiddenAddressReason', () => {
  it.each([
    // Public unicast: allowed.
    { address: '93.184.216.34', range: null },
    { address: '8.8.8.8', range: null },
    { address: '2606:4700::1111', range: null },
    { address: '::ffff:93.184.216.34', range: null },
    // IPv4 special ranges.
    { address: '127.0.0.1', range: 'loopback' },
    { address: '127.255.255.254', range: 'loopback' },
    { address: '10.0.0.1', range: 'private' },
    { address: '172.16.0.1', range: 'private' },
    { address: '172.31.255.255', range: 'private' },
    { address: '192.168.1.1', range: 'private' },
    { address: '169.254.169.254', range: 'linkLocal' },
    { address: '100.64.0.1', range: 'carrierGradeNat' },
    { address: '100.127.255.255', range: 'carrierGradeNat' },
    { address: '0.0.0.0', range: 'unspecified' },
    { address: '0.1.2.3', range: 'unspecified' },
    { address: '224.0.0.1', range: 'multicast' },
    { address: '239.255.255.250', range: 'multicast' },
    { address: '255.255.255.255', range: 'broadcast' },
    { address: '240.0.0.1', range: 'reserved' },
    { address: '192.0.2.1', range: 'reserved' },
    { address: '198.18.0.1', range: 'reserved' },
    // IPv6 special ranges.
    { address: '::1', range: 'loopback' },
    { address: '::', range: 'unspecified' },
    { address: 'fe80::1', range: 'linkLocal' },
    { address: 'fd00::1', range: 'uniqueLocal' },
    { address: 'fc00::1', range: 'uniqueLocal' },
    { address: 'ff02::1', range: 'multicast' },
    { address: '2001:db8::1', range: 'reserved' },
    { address: '64:ff9b::a9fe:a9fe', range: 'rfc6052' },
    { address: '2002:7f00:1::', range: '6to4' },
    { address: '::7f00:1', range: 'outside global unicast' },
    // IPv4-mapped IPv6 is judged as the IPv4 address it carries.
    { address: '::ffff:127.0.0.1', range: 'loopback' },
    { address: '::ffff:7f00:1', range: 'loopback' },
    { address: '::ffff:169.254.169.254', range: 'linkLocal' },
    { address: '::ffff:10.0.0.1', range: 'private' },
    { address: '::ffff:0.0.0.0', range: 'unspecified' },
    { address: 'not-an-address', range: 'not an IP address' },
  ])('$address → $range', ({ address, range }) => {
    const reason = forbiddenAddressReason(address, false);
    if (range === null) expect(reason).toBeNull();
    else expect(reason).toContain(range);
  });

  it('allows loopback, and nothing else more, when the local setting says so', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(forbiddenAddressReason(address, true)).toBeNull();
    for (const address of ['0.0.0.0', '10.0.0.1', '169.254.169.254', 'fd00::1', '::']) expect(forbiddenAddressReason(address, true)).not.toBeNull();
  });
});

describe('checkOutboundUrl (when a URL is saved)', () => {
  it.each([
    { url: 'https://hooks.example.com/itsm', ok: true },
    { url: 'https://hooks.example.com:8443/itsm?x=1', ok: true },
    { url: 'https://93.184.216.34/hook', ok: true },
    { url: 'https://[2606:4700::1111]/hook', ok: true },
    // Scheme and credentials.
    { url: 'http://hooks.example.com/itsm', ok: false, problem: 'https' },
    { url: 'ftp://hooks.example.com/itsm', ok: false, problem: 'https' },
    { url: 'file:///etc/passwd', ok: false, problem: 'https' },
    { url: 'not a url', ok: false, problem: 'valid URL' },
    { url: 'https://user:secret@hooks.example.com/', ok: false, problem: 'credentials' },
    { url: 'https://user@hooks.example.com/', ok: false, problem: 'credentials' },
    // The issue's own example, and loopback in every spelling the URL parser normalizes.
    { url: 'http://127.0.0.1:3999/hook', ok: false, problem: 'https' },
    { url: 'https://127.0.0.1:3999/hook', ok: false, problem: 'loopback' },
    { url: 'https://2130706433/', ok: false, problem: 'loopback' },
    { url: 'https://0x7f.1/', ok: false, problem: 'loopback' },
    { url: 'https://0x7f000001/', ok: false, problem: 'loopback' },
    { url: 'https://017700000001/', ok: false, problem: 'loopback' },
    { url: 'https://0177.0.0.1/', ok: false, problem: 'loopback' },
    { url: 'https://127.1/', ok: false, problem: 'loopback' },
    { url: 'https://[::1]/', ok: false, problem: 'loopback' },
    { url: 'https://[::ffff:127.0.0.1]/', ok: false, problem: 'loopback' },
    { url: 'https://[0:0:0:0:0:ffff:7f00:1]/', ok: false, problem: 'loopback' },
    { url: 'https://[::127.0.0.1]/', ok: false, problem: 'global unicast' },
    // Other forbidden literals.
    { url: 'https://0.0.0.0/', ok: false, problem: 'unspecified' },
    { url: 'https://0/', ok: false, problem: 'unspecified' },
    { url: 'https://[::]/', ok: false, problem: 'unspecified' },
    { url: 'https://169.254.169.254/latest/meta-data/', ok: false, problem: 'linkLocal' },
    { url: 'https://[::ffff:a9fe:a9fe]/latest/meta-data/', ok: false, problem: 'linkLocal' },
    { url: 'https://0xa9fea9fe/', ok: false, problem: 'linkLocal' },
    { url: 'https://10.0.0.1/', ok: false, problem: 'private' },
    { url: 'https://012.0.0.1/', ok: false, problem: 'private' },
    { url: 'https://172.16.0.1/', ok: false, problem: 'private' },
    { url: 'https://192.168.0.1/', ok: false, problem: 'private' },
    { url: 'https://100.64.0.1/', ok: false, problem: 'carrierGradeNat' },
    { url: 'https://224.0.0.1/', ok: false, problem: 'multicast' },
    { url: 'https://[fd00::1]/', ok: false, problem: 'uniqueLocal' },
    { url: 'https://[fe80::1]/', ok: false, problem: 'linkLocal' },
    { url: 'https://[ff02::1]/', ok: false, problem: 'multicast' },
    // Names: every address they resolve to must be public.
    { url: 'https://internal.example.com/', ok: false, problem: 'private' },
    { url: 'https://metadata.example.com/', ok: false, problem: 'linkLocal' },
    { url: 'https://mixed.example.com/', ok: false, problem: 'loopback' },
    { url: 'https://ula.example.com/', ok: false, problem: 'uniqueLocal' },
    { url: 'https://mapped.example.com/', ok: false, problem: 'linkLocal' },
    { url: 'https://localhost/', ok: false, problem: 'loopback' },
    { url: 'https://nowhere.example.com/', ok: false, problem: 'ENOTFOUND' },
  ])('$url → $ok', async ({ url, ok, problem }) => {
    const check = checkOutboundUrl(url, 'url', strict);
    if (ok) return expect(check).resolves.toBeUndefined();
    const error = await check.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).extensions).toEqual({ field: 'url' });
    expect((error as Error).message).toContain(problem);
  });

  it('answers 422 when the name does not resolve in time', async () => {
    vi.useFakeTimers();
    try {
      const check = checkOutboundUrl('https://slow.example.com/', 'url', { allowLoopback: false, resolve: () => new Promise(() => undefined) });
      const settled = check.catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(SAVE_RESOLVE_TIMEOUT_MS);
      expect(await settled).toMatchObject({ message: expect.stringContaining('could not be resolved (ETIMEOUT)'), extensions: { field: 'url' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    { url: 'http://127.0.0.1:3999/hook', ok: true },
    { url: 'http://localhost:3999/hook', ok: true },
    { url: 'http://[::1]:3999/hook', ok: true },
    { url: 'https://127.0.0.1:3999/hook', ok: true },
    { url: 'https://hooks.example.com/itsm', ok: true },
    // The local setting opens loopback only: plain http elsewhere and private ranges stay refused.
    { url: 'http://hooks.example.com/itsm', ok: false },
    { url: 'http://10.0.0.1/', ok: false },
    { url: 'https://10.0.0.1/', ok: false },
    { url: 'http://0.0.0.0:3999/', ok: false },
    { url: 'https://169.254.169.254/', ok: false },
    { url: 'https://internal.example.com/', ok: false },
  ])('with the local setting: $url → $ok', async ({ url, ok }) => {
    const check = checkOutboundUrl(url, 'steps.0.url', local);
    if (ok) await expect(check).resolves.toBeUndefined();
    else await expect(check).rejects.toMatchObject({ extensions: { field: 'steps.0.url' } });
  });
});

describe('guardedRequest (at each call)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A loopback server; `connections` counts every TCP connection it accepted. */
  async function serve(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    const seen = { connections: 0, requests: 0 };
    server.on('connection', () => seen.connections++);
    server.on('request', () => seen.requests++);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, seen };
  }

  const request = { method: 'GET', timeoutMs: 2_000, maxResponseBytes: 1024 } as const;

  it('refuses a name that now resolves to a forbidden address before connecting (DNS rebinding)', async () => {
    const { port, seen } = await serve((_, response) => response.end('hello'));
    const dns: Record<string, string[]> = { 'rebind.example.com': ['93.184.216.34'] };
    const policy: OutboundPolicy = { allowLoopback: true, resolve: resolverOf(dns).resolve };
    await checkOutboundUrl(`https://rebind.example.com:${port}/`, 'url', policy);
    dns['rebind.example.com'] = ['0.0.0.0'];
    await expect(guardedRequest(`https://rebind.example.com:${port}/`, request, policy)).rejects.toThrow(OutboundRefusedError);
    await expect(guardedRequest(`https://rebind.example.com:${port}/`, request, policy)).rejects.toThrow(
      /rebind\.example\.com resolves to 0\.0\.0\.0 \(unspecified\)/,
    );
    expect(seen.connections).toBe(0);
  });

  it('refuses a forbidden IP literal, and plain http, before connecting', async () => {
    const { port, seen } = await serve((_, response) => response.end('hello'));
    for (const url of [`http://0.0.0.0:${port}/`, `https://0.0.0.0:${port}/`, `http://127.0.0.1:${port}/`, `https://[::ffff:127.0.0.1]:${port}/`]) {
      await expect(guardedRequest(url, request, strict), url).rejects.toThrow(OutboundRefusedError);
    }
    expect(seen.connections).toBe(0);
  });

  it('connects to the address its resolver checked, not to what the system resolver would say', async () => {
    const { port, seen } = await serve((_, response) => response.end('hello'));
    const { resolve, asked } = resolverOf({ 'receiver.example.com': ['127.0.0.1'] });
    // https to a plain-http server: the TLS handshake fails, but only after connecting to the checked address.
    const outcome = await guardedRequest(`https://receiver.example.com:${port}/`, request, { allowLoopback: true, resolve }).catch((error: Error) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as NodeJS.ErrnoException).code).not.toBe('ENOTFOUND');
    expect(asked).toEqual(['receiver.example.com']);
    expect(seen.connections).toBe(1);
  });

  it('answers a redirect as it is and does not follow it', async () => {
    const target = await serve((_, response) => response.end('followed'));
    const { port } = await serve((_, response) => response.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end());
    const response = await guardedRequest(`http://127.0.0.1:${port}/`, request, local);
    expect(response.status).toBe(302);
    expect(target.seen.connections).toBe(0);
  });

  it('reads the answer up to the size bound and drops the rest', async () => {
    const { port } = await serve((_, response) => response.end('x'.repeat(1_000_000)));
    const response = await guardedRequest(`http://127.0.0.1:${port}/`, request, local);
    expect(response).toMatchObject({ status: 200, truncated: true });
    expect(response.body).toHaveLength(1024);
    const small = await serve((_, answer) => answer.end('{"ok":true}'));
    expect(await guardedRequest(`http://127.0.0.1:${small.port}/`, request, local)).toMatchObject({ status: 200, truncated: false });
  });

  it('gives up after the time bound, also when the answer trickles', async () => {
    const silent = await serve(() => undefined);
    await expect(guardedRequest(`http://127.0.0.1:${silent.port}/`, { ...request, timeoutMs: 200 }, local)).rejects.toThrow(OutboundTimeoutError);
    const trickle = await serve((_, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('.'), 50);
      response.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    await expect(guardedRequest(`http://127.0.0.1:${trickle.port}/`, { ...request, timeoutMs: 300 }, local)).rejects.toThrow(OutboundTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends the method, headers and body given', async () => {
    let received = '';
    const { port } = await serve((incoming, response) => {
      incoming.on('data', (chunk: Buffer) => {
        received += chunk.toString();
      });
      incoming.on('end', () => response.writeHead(204, { 'x-method': incoming.method ?? '', 'x-type': incoming.headers['content-type'] ?? '' }).end());
    });
    const response = await guardedRequest(
      `http://localhost:${port}/hook`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 2_000, maxResponseBytes: 1024 },
      local,
    );
    expect(response.status).toBe(204);
    expect(received).toBe('{"a":1}');
  });
});
