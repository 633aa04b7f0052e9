import { CloudWatchClient, ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlarmStateChangeEvent } from '../../../../functions/alerts/ingest-cloudwatch-alarm.js';

// The handler goes through the same ingestion as POST /alerts; here only what it hands over matters.
const ingestAlert = vi.hoisted(() => vi.fn());
vi.mock('#shared/services/alerts/alert-ingestion.js', () => ({ ingestAlert }));

// Ignored alarms are logged at INFO; the test output does not need them.
vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
const { handler } = await import('../../../../functions/alerts/ingest-cloudwatch-alarm.js');

const cloudwatch = mockClient(CloudWatchClient);

beforeEach(() => {
  ingestAlert.mockResolvedValue({ dedupKey: 'x', action: 'created', incidentId: '01JH0000000000000000000000', incidentNumber: 'INC0001001' });
});

afterEach(() => {
  cloudwatch.reset();
  ingestAlert.mockReset();
});

let alarmCounter = 0;
/** A fresh alarm ARN per test: the handler caches tags per alarm. */
function newAlarmArn(): string {
  alarmCounter += 1;
  return `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:db-01-cpu-${alarmCounter}`;
}

function alarmEvent(alarmArn: string, state: string, overrides: Partial<AlarmStateChangeEvent['detail']> = {}): AlarmStateChangeEvent {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: '2025-03-01T12:00:00Z',
    region: 'eu-west-1',
    resources: [alarmArn],
    detail: {
      alarmName: alarmArn.split(':').at(-1) as string,
      state: {
        value: state,
        reason: 'Threshold Crossed: 1 datapoint [97.0] was greater than the threshold (90.0).',
        timestamp: '2025-03-01T12:00:00.000+0000',
      },
      previousState: { value: state === 'ALARM' ? 'OK' : 'ALARM' },
      configuration: { description: 'CPU above 90 % on db-01' },
      ...overrides,
    },
  };
}

function tagged(tags: Record<string, string>) {
  cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
}

describe('ingest-cloudwatch-alarm', () => {
  it('ALARM triggers an alert for the tagged tenant, with the alarm ARN as dedup key', async () => {
    const arn = newAlarmArn();
    tagged({ 'itsm:tenant': 'acme', 'itsm:ci': 'db-01', 'itsm:severity': 'critical', team: 'dba' });
    const result = await handler(alarmEvent(arn, 'ALARM'));
    expect(result).toMatchObject({ action: 'created' });
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({ ResourceARN: arn });
    expect(ingestAlert).toHaveBeenCalledTimes(1);
    const [tenantId, event] = ingestAlert.mock.calls[0] as [string, Record<string, unknown>];
    expect(tenantId).toBe('acme');
    expect(event).toMatchObject({
      action: 'trigger',
      dedupKey: arn,
      integration: 'cloudwatch',
      client: 'Amazon CloudWatch',
      payload: {
        summary: `CloudWatch alarm ${arn.split(':').at(-1)}: CPU above 90 % on db-01`,
        source: 'aws:123456789012:eu-west-1',
        severity: 'critical',
        component: 'db-01',
        customDetails: expect.objectContaining({ alarmArn: arn, state: 'ALARM', previousState: 'OK', reason: expect.stringContaining('Threshold') }),
      },
    });
    expect(event.clientUrl).toMatch(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#alarmsV2:alarm\//);
  });

  it('OK resolves the same dedup key', async () => {
    const arn = newAlarmArn();
    tagged({ 'itsm:tenant': 'acme' });
    await handler(alarmEvent(arn, 'OK'));
    expect(ingestAlert).toHaveBeenCalledWith('acme', expect.objectContaining({ action: 'resolve', dedupKey: arn }));
  });

  it.each([
    ['no severity tag', {}, 'error'],
    ['an unknown severity', { 'itsm:severity': 'catastrophic' }, 'error'],
    ['warning', { 'itsm:severity': 'warning' }, 'warning'],
  ])('severity with %s → %s', async (_, extra, severity) => {
    tagged({ 'itsm:tenant': 'acme', ...extra });
    await handler(alarmEvent(newAlarmArn(), 'ALARM'));
    expect(ingestAlert).toHaveBeenCalledWith('acme', expect.objectContaining({ payload: expect.objectContaining({ severity }) }));
  });

  it('leaves out a CI tag that is not an id', async () => {
    tagged({ 'itsm:tenant': 'acme', 'itsm:ci': 'db 01#primary' });
    await handler(alarmEvent(newAlarmArn(), 'ALARM'));
    expect(ingestAlert).toHaveBeenCalledWith('acme', expect.objectContaining({ payload: expect.objectContaining({ component: undefined }) }));
  });

  it.each<{ name: string; state: string; tags: Record<string, string>; reads: number }>([
    { name: 'INSUFFICIENT_DATA', state: 'INSUFFICIENT_DATA', tags: { 'itsm:tenant': 'acme' }, reads: 0 },
    { name: 'an alarm without the tenant tag', state: 'ALARM', tags: { team: 'dba' }, reads: 1 },
    { name: 'a tenant tag that is not a tenant id', state: 'ALARM', tags: { 'itsm:tenant': 'TENANT#globex' }, reads: 1 },
    { name: 'an empty tenant tag', state: 'OK', tags: { 'itsm:tenant': '' }, reads: 1 },
  ])('ignores $name without throwing (a throw would be retried, then dead-lettered)', async ({ state, tags, reads }) => {
    tagged(tags);
    await expect(handler(alarmEvent(newAlarmArn(), state))).resolves.toMatchObject({ action: 'ignored' });
    expect(ingestAlert).not.toHaveBeenCalled();
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(reads);
  });

  it('ignores an alarm deleted before its tags could be read', async () => {
    cloudwatch.on(ListTagsForResourceCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    await expect(handler(alarmEvent(newAlarmArn(), 'ALARM'))).resolves.toMatchObject({ action: 'ignored', reason: 'the alarm no longer exists' });
    expect(ingestAlert).not.toHaveBeenCalled();
  });

  it('ignores an event that is not an alarm state change', async () => {
    const event = alarmEvent(newAlarmArn(), 'ALARM');
    await expect(handler({ ...event, resources: [] })).resolves.toMatchObject({ action: 'ignored' });
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });

  it('throws on transient failures so that EventBridge and Lambda retry', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    cloudwatch.on(ListTagsForResourceCommand).rejects(throttled);
    await expect(handler(alarmEvent(newAlarmArn(), 'ALARM'))).rejects.toThrow('Rate exceeded');

    tagged({ 'itsm:tenant': 'acme' });
    ingestAlert.mockRejectedValueOnce(new Error('DynamoDB unavailable'));
    await expect(handler(alarmEvent(newAlarmArn(), 'ALARM'))).rejects.toThrow('DynamoDB unavailable');
  });

  it('reads the tags of one alarm once while they are cached', async () => {
    const arn = newAlarmArn();
    tagged({ 'itsm:tenant': 'acme' });
    await handler(alarmEvent(arn, 'ALARM'));
    await handler(alarmEvent(arn, 'OK'));
    await handler(alarmEvent(arn, 'ALARM'));
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(1);
    expect(ingestAlert.mock.calls.map(([, event]) => (event as { action: string }).action)).toEqual(['trigger', 'resolve', 'trigger']);
  });
});
