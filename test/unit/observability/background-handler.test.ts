import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backgroundHandler, invocationKeysOf } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const context = { functionName: 'itsm-test-ArmSlaEscalation', awsRequestId: 'lambda-req-9' } as unknown as Context;

let lines: Record<string, unknown>[] = [];

beforeEach(() => {
  lines = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

const work = backgroundHandler('sla/arm-escalation', async (event: { detail?: { tenantId?: string }; fail?: boolean }) => {
  logger.info('Working');
  if (event.fail) throw new Error('workflow busy');
  return { tenant: event.detail?.tenantId };
});

describe('backgroundHandler', () => {
  it('logs the handler, the tenant, the outbox event id as correlation id and the Lambda request id', async () => {
    const result = await work({ detail: { tenantId: 'acme', eventId: '01EVENT' } } as never, context);

    expect(result).toEqual({ tenant: 'acme' });
    expect(lines.find((line) => line.message === 'Working')).toMatchObject({
      handler: 'sla/arm-escalation',
      tenantId: 'acme',
      correlationId: '01EVENT',
      requestId: 'lambda-req-9',
      function_request_id: 'lambda-req-9',
    });
  });

  it('clears the keys after the invocation, a failed one included, and rethrows the error', async () => {
    await expect(work({ detail: { tenantId: 'acme' }, fail: true }, context)).rejects.toThrow('workflow busy');
    await work({ detail: { tenantId: 'globex' } });
    logger.info('Afterwards');

    const working = lines.filter((line) => line.message === 'Working');
    expect(working.map((line) => line.tenantId)).toEqual(['acme', 'globex']);
    // The second call had no context: no request id carried over from the first.
    expect(working[1]).not.toHaveProperty('requestId');
    const after = lines.find((line) => line.message === 'Afterwards');
    for (const key of ['handler', 'tenantId', 'requestId', 'correlationId']) expect(after).not.toHaveProperty(key);
  });

  it('reads a workflow task input and an EventBridge event id', () => {
    expect(invocationKeysOf({ tenantId: 'acme', changeId: 'CHG-1' })).toEqual({ tenantId: 'acme' });
    expect(invocationKeysOf({ id: 'bus-id', detail: { other: 1 } })).toEqual({ correlationId: 'bus-id' });
    expect(invocationKeysOf(null)).toEqual({});
  });
});
