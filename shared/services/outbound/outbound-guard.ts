/**
 * The one way the product calls a URL a tenant gave it (webhook targets,
 * continuity probes): a guard against server-side request forgery.
 *
 * - When the URL is saved, {@link checkOutboundUrl}: https only, no
 *   credentials in the URL, and the host (an IP literal in any spelling the
 *   URL parser accepts, or every address its name resolves to) must be a
 *   public unicast address; otherwise a 422 naming the field.
 * - When it is called, {@link guardedRequest}: the name is resolved and
 *   checked again inside the socket's own `lookup`, so the connection goes
 *   to the very addresses that passed (a name that now resolves to a
 *   private address — DNS rebinding — is refused before any packet is
 *   sent); redirects are never followed; the time and the answer's size
 *   are bounded.
 *
 * Loopback (and plain http to it) is allowed only when
 * `OUTBOUND_ALLOW_LOOPBACK=true`, which the local stack sets for its local
 * receivers and which no deployed function carries.
 * @module
 */
import type { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { UnprocessableError } from '#shared/domain/errors.js';

/** One address a name resolves to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has (the system resolver unless one is injected). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** What the guard allows and how it resolves names. */
export interface OutboundPolicy {
  /** Loopback addresses (and plain http to them): the local stack's receivers only. */
  readonly allowLoopback: boolean;
  readonly resolve: Resolver;
}

/** How long a save waits for a name to resolve: the API answers within its own timeout either way. */
export const SAVE_RESOLVE_TIMEOUT_MS = 3_000;

/** The environment variable that allows loopback targets; set by the local stack, never in AWS. */
export const ALLOW_LOOPBACK_VARIABLE = 'OUTBOUND_ALLOW_LOOPBACK';

/** IANA's global unicast space: IPv6 outside it (e.g. the deprecated IPv4-compatible `::7f00:1`) is never a tenant's server. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });
let injectedResolver: Resolver | undefined;

/**
 * Replaces the system resolver for this process (the local test stack, which
 * has no DNS of its own to point at); `undefined` restores it.
 */
export function setOutboundResolver(resolver: Resolver | undefined): void {
  injectedResolver = resolver;
}

/** The policy in force: loopback from the environment, the injected or system resolver. */
export function outboundPolicy(): OutboundPolicy {
  return { allowLoopback: process.env[ALLOW_LOOPBACK_VARIABLE] === 'true', resolve: injectedResolver ?? systemResolver };
}

/** The guard refused a target: its URL or an address it resolves to is not allowed. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

/** No complete answer within the time allowed. */
export class OutboundTimeoutError extends Error {
  override readonly name = 'OutboundTimeoutError';
}

/**
 * Why `address` may not be called, or null when it may. Only public unicast
 * addresses pass: ipaddr.js names every special range (private, loopback,
 * linkLocal incl. 169.254.169.254, uniqueLocal, carrierGradeNat, multicast,
 * unspecified, broadcast, reserved, 6to4, teredo, rfc6052 …), IPv6 must
 * lie in the global unicast space 2000::/3, and an IPv4-mapped IPv6
 * address is judged as the IPv4 address it carries.
 */
export function forbiddenAddressReason(address: string, allowLoopback: boolean): string | null {
  if (!ipaddr.isValid(address)) return `${address} (not an IP address)`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast' && parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_V6)) return `${address} (outside global unicast)`;
  if (range === 'unicast') return null;
  if (range === 'loopback' && allowLoopback) return null;
  return `${address} (${range})`;
}

/** The URL's host as an IP address when it is one (the WHATWG parser has already normalized `0x7f.1`, `2130706433`, `[::ffff:127.0.0.1]` …). */
function ipLiteralOf(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ipaddr.isValid(host) && (host.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(host)) ? host : null;
}

/** Why the URL itself (before any name is resolved) may not be called, or its parsed form. */
function urlProblem(url: string, policy: OutboundPolicy): { problem: string } | { target: URL; ipLiteral: string | null } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (target.username || target.password) return { problem: 'must not carry credentials' };
  const ipLiteral = ipLiteralOf(target);
  const loopbackName = target.hostname === 'localhost' || (ipLiteral !== null && forbiddenAddressReason(ipLiteral, false)?.endsWith('(loopback)'));
  const plainHttpAllowed = target.protocol === 'http:' && policy.allowLoopback && loopbackName;
  if (target.protocol !== 'https:' && !plainHttpAllowed) return { problem: 'must use https' };
  if (ipLiteral !== null) {
    const reason = forbiddenAddressReason(ipLiteral, policy.allowLoopback);
    if (reason) return { problem: `must reach a public address: ${reason}` };
  }
  return { target, ipLiteral };
}

/** Every address `hostname` resolves to, each checked; throws `OutboundRefusedError` if any is not allowed. */
async function checkedAddresses(hostname: string, policy: OutboundPolicy): Promise<readonly ResolvedAddress[]> {
  const addresses = await policy.resolve(hostname);
  if (addresses.length === 0) throw new OutboundRefusedError(`${hostname} resolves to no address`);
  // One private answer among public ones is enough to refuse: which one a client picks is not ours to choose.
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address, policy.allowLoopback);
    if (reason) throw new OutboundRefusedError(`${hostname} resolves to ${reason}`);
  }
  return addresses;
}

/**
 * Checks a URL about to be saved: 422 naming `field` unless it is https,
 * carries no credentials, and its host is (or resolves only to) public
 * addresses. It is checked again at each call: a name may resolve
 * elsewhere later.
 */
export async function checkOutboundUrl(url: string, field: string, policy: OutboundPolicy = outboundPolicy()): Promise<void> {
  const checked = urlProblem(url, policy);
  if ('problem' in checked) throw new UnprocessableError(`The URL ${checked.problem}.`, { field });
  if (checked.ipLiteral !== null) return;
  try {
    await checkedAddresses(checked.target.hostname, { ...policy, resolve: (hostname) => withDeadline(policy.resolve(hostname), SAVE_RESOLVE_TIMEOUT_MS) });
  } catch (error) {
    const reason =
      error instanceof OutboundRefusedError
        ? error.message
        : `${checked.target.hostname} could not be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new UnprocessableError(`The URL must reach a public address: ${reason}.`, { field });
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A `lookup` for the socket: resolve with the policy's resolver, refuse unless every address passes, connect to those. */
function guardedLookup(policy: OutboundPolicy): typeof dnsLookup {
  const lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    checkedAddresses(hostname, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        const [first] = wanted;
        if (!first) callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '');
        else if (options.all)
          callback(
            null,
            wanted.map(({ address, family }) => ({ address, family })),
          );
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
  return lookup as unknown as typeof dnsLookup;
}

export interface OutboundRequest {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** For the whole exchange: resolving, connecting, sending and reading the answer. */
  readonly timeoutMs: number;
  /** The answer is read up to this many bytes; the rest is dropped and the connection closed. */
  readonly maxResponseBytes: number;
}

export interface OutboundResponse {
  /** The status as answered: a 3xx is returned as it is, never followed. */
  readonly status: number;
  readonly body: Buffer;
  /** The answer was longer than `maxResponseBytes`. */
  readonly truncated: boolean;
}

/**
 * Sends one request to a tenant-given URL under the guard: the URL is
 * checked as when saved, the name resolved and checked in the socket's
 * lookup (the connection goes only to checked addresses), no redirect
 * followed, time and answer size bounded. Throws `OutboundRefusedError`,
 * `OutboundTimeoutError`, or the network error.
 */
export async function guardedRequest(url: string, request: OutboundRequest, policy: OutboundPolicy = outboundPolicy()): Promise<OutboundResponse> {
  const checked = urlProblem(url, policy);
  if ('problem' in checked) throw new OutboundRefusedError(`The URL ${checked.problem}`);
  const client = checked.target.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    // No agent: a pooled socket would skip the lookup, and each call must be checked afresh.
    const outgoing = client.request(checked.target, {
      method: request.method,
      headers: request.headers ?? {},
      agent: false,
      lookup: guardedLookup(policy),
    });
    const timer = setTimeout(() => outgoing.destroy(new OutboundTimeoutError(`No answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    outgoing.on('error', fail);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks), truncated });
      };
      incoming.on('data', (chunk: Buffer) => {
        const room = request.maxResponseBytes - size;
        if (chunk.length <= room) {
          chunks.push(chunk);
          size += chunk.length;
          return;
        }
        chunks.push(chunk.subarray(0, room));
        size = request.maxResponseBytes;
        finish(true);
        outgoing.destroy();
      });
      incoming.on('end', () => finish(false));
      incoming.on('error', fail);
    });
    outgoing.end(request.body);
  });
}
