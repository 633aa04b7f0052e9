/**
 * Starts the local stack (DynamoDB Local in memory, the local API with the
 * real handlers and authorizer) once for all integration tests.
 */
import { promises as dns } from 'node:dns';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { setOutboundResolver } from '#shared/services/outbound/outbound-guard.js';
import { startLocalStack } from '../../infra/local/local-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    issuer: string;
    issuerKeyFile: string;
    /** For tests that check stored state no API exposes (alert records). */
    dynamoDbEndpoint: string;
    /** Where tests write the addresses a test host name resolves to (see `resolveInTests`). */
    testDnsDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-it-'));
  const issuerKeyFile = join(dir, 'issuer-key.pem');
  // Webhook retries after 1 s and 1 s (3 attempts) instead of minutes, so failure paths finish in a test.
  process.env.WEBHOOK_RETRY_DELAYS_SECONDS = '1,1';
  const stack = await startLocalStack({
    issuerKeyFile,
    eventLogFile: join(dir, 'events.ndjson'),
    // A failing continuity probe is retried after 50 ms instead of 5 s and 10 s.
    workflowDefaults: { retryIntervalOverrides: { RunProbe: 50 } },
    // Test tenants walk many routes back to back: the premium rate keeps them clear of 429s; the throttling tests put their tenants on lower tiers.
    defaultTenantTier: 'premium',
  });
  project.provide('apiUrl', stack.url);
  project.provide('issuer', stack.issuer.issuer);
  project.provide('issuerKeyFile', issuerKeyFile);
  project.provide('dynamoDbEndpoint', stack.dynamoDb.endpoint);
  // This machine has no DNS: webhook and probe host names resolve to what the tests wrote for them (files, since
  // the tests run in other processes than the stack); other names go to the system resolver.
  const testDnsDir = join(dir, 'dns');
  mkdirSync(testDnsDir);
  setOutboundResolver(async (hostname) => {
    let addresses: string[];
    try {
      addresses = JSON.parse(readFileSync(join(testDnsDir, hostname), 'utf8')) as string[];
    } catch {
      return dns.lookup(hostname, { all: true, verbatim: true });
    }
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  });
  project.provide('testDnsDir', testDnsDir);
  return async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
