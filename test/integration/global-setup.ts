/**
 * Starts the local stack (DynamoDB Local in memory, the local API with the
 * real handlers and authorizer) once for all integration tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../infra/local/local-stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    issuer: string;
    issuerKeyFile: string;
    /** For tests that check stored state no API exposes (alert records). */
    dynamoDbEndpoint: string;
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
  });
  project.provide('apiUrl', stack.url);
  project.provide('issuer', stack.issuer.issuer);
  project.provide('issuerKeyFile', issuerKeyFile);
  project.provide('dynamoDbEndpoint', stack.dynamoDb.endpoint);
  return async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
