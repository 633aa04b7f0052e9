/**
 * The `RunProbe` task through the outbound guard: a probe whose name now
 * resolves to a private address is refused before connecting (not merely
 * "unreachable"), a redirect is answered as it is, and a healthy loopback
 * probe passes under the local setting. Names resolve through an injected
 * resolver; the servers are on loopback, and the refused address is
 * 0.0.0.0, which Linux would deliver to this machine if the guard failed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setOutboundResolver } from '#shared/services/outbound/outbound-guard.js';

vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
const { handler, ProbeFailedError } = await import('../../../../functions/continuity/run-probe.js');

const dns: Record<string, string[]> = {};
let connections = 0;
let answer: (response: import('node:http').ServerResponse) => void = (response) => response.end('{"restoredTo":"2026-12-01T10:00:00Z"}');
const server: Server = createServer((_request, response) => answer(response));
server.on('connection', () => connections++);
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  setOutboundResolver(async (hostname) => (dns[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
});
afterAll(async () => {
  setOutboundResolver(undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  connections = 0;
});

const probe = (url: string, expectedStatus = 200) => ({
  tenantId: 'acme',
  testId: '01KB0A1C2D3E4F5G6H7J8K9M0N',
  step: { id: 'health', kind: 'probe', url, expectedStatus, timeoutSeconds: 2, recoveryPointField: 'restoredTo' },
});

describe('run-probe through the outbound guard', () => {
  it('refuses a probe whose name now resolves to a private address, without connecting', async () => {
    vi.stubEnv('OUTBOUND_ALLOW_LOOPBACK', 'true');
    dns['dr.example.com'] = ['0.0.0.0'];
    const outcome = handler(probe(`https://dr.example.com:${port}/health`));
    await expect(outcome).rejects.toThrow(ProbeFailedError);
    await expect(handler(probe(`https://dr.example.com:${port}/health`))).rejects.toThrow(
      /refused \(dr\.example\.com resolves to 0\.0\.0\.0 \(unspecified\)\)/,
    );
    expect(connections).toBe(0);
  });

  it('refuses a loopback probe without the local setting', async () => {
    // Explicitly off: in a full run the workers inherit the environment the integration stack set (it is on there).
    vi.stubEnv('OUTBOUND_ALLOW_LOOPBACK', 'false');
    await expect(handler(probe(`http://127.0.0.1:${port}/health`))).rejects.toThrow(/refused \(The URL must use https\)/);
    expect(connections).toBe(0);
  });

  it('passes a healthy probe under the local setting and reads the recovery point', async () => {
    vi.stubEnv('OUTBOUND_ALLOW_LOOPBACK', 'true');
    answer = (response) => response.end('{"restoredTo":"2026-12-01T10:00:00Z"}');
    await expect(handler(probe(`http://127.0.0.1:${port}/health`))).resolves.toMatchObject({
      outcome: 'passed',
      recoveryPoint: '2026-12-01T10:00:00.000Z',
    });
  });

  it('does not follow a redirect: the 3xx is compared with the expected status', async () => {
    vi.stubEnv('OUTBOUND_ALLOW_LOOPBACK', 'true');
    answer = (response) => response.writeHead(302, { location: 'http://0.0.0.0:9/' }).end();
    await expect(handler(probe(`http://127.0.0.1:${port}/health`))).rejects.toThrow(/HTTP 302, expected 200/);
  });
});
