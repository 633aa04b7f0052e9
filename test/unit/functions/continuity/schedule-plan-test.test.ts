/**
 * The recurring continuity test: a pass schedules the next test at the
 * plan's due date (one-off `at()` schedule invoking the same function with
 * the plan and due date); a plan not current schedules nothing; a pass
 * delivered twice finds its schedule there already. DynamoDB and
 * EventBridge Scheduler are mocked.
 */
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
vi.stubEnv('TABLE_NAME', 'itsm-test');
vi.stubEnv('SCHEDULE_GROUP_NAME', 'itsm-test');
vi.stubEnv('SCHEDULER_ROLE_ARN', 'arn:aws:iam::111122223333:role/scheduler');
vi.stubEnv('SCHEDULER_DLQ_ARN', 'arn:aws:sqs:eu-west-1:111122223333:itsm-test-ScheduleFailures');
vi.stubEnv('CONTINUITY_SCHEDULE_PLAN_TEST_FUNCTION_ARN', 'arn:aws:lambda:eu-west-1:111122223333:function:itsm-test-ScheduleContinuityTests');
const { handler, scheduleName } = await import('../../../../functions/continuity/schedule-plan-test.js');
const { functionArnVariable } = await import('#shared/events/rules.js');

const ddb = mockClient(DynamoDBDocumentClient);
const scheduler = mockClient(SchedulerClient);
afterEach(() => {
  ddb.reset();
  scheduler.reset();
});

const passed = { 'detail-type': 'ContinuityTestPassed', detail: { tenantId: 'acme', planId: '01KB0A1C2D3E4F5G6H7J8K9M0N' } };
const plan = (status: string) => ({ tenantId: 'acme', id: '01KB0A1C2D3E4F5G6H7J8K9M0N', status, nextTestDue: '2027-11-22T10:00:00.000Z' });

describe('schedule-plan-test', () => {
  it('names its own ARN variable after the handler', () => {
    expect(functionArnVariable('continuity/schedule-plan-test')).toBe('CONTINUITY_SCHEDULE_PLAN_TEST_FUNCTION_ARN');
    expect(scheduleName('01KB0A1C2D3E4F5G6H7J8K9M0N', '2027-11-22T10:00:00.000Z')).toBe('ct-01KB0A1C2D3E4F5G6H7J8K9M0N-20271122100000');
    expect(scheduleName('01KB0A1C2D3E4F5G6H7J8K9M0N', '2027-11-22T10:00:00.000Z').length).toBeLessThanOrEqual(64);
  });

  it('a pass schedules the next test at the due date, invoking itself with the plan and the due date', async () => {
    ddb.on(GetCommand).resolves({ Item: plan('current') });
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    expect(await handler(passed)).toEqual({ action: 'scheduled' });
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'ct-01KB0A1C2D3E4F5G6H7J8K9M0N-20271122100000',
      GroupName: 'itsm-test',
      ScheduleExpression: 'at(2027-11-22T10:00:00)',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:itsm-test-ScheduleContinuityTests',
        // An invocation given up after its retries is kept (and alarmed on), not dropped.
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:111122223333:itsm-test-ScheduleFailures' },
      },
    });
    expect(JSON.parse(input?.Target?.Input ?? '')).toEqual({
      scheduled: { tenantId: 'acme', planId: '01KB0A1C2D3E4F5G6H7J8K9M0N', due: '2027-11-22T10:00:00.000Z' },
    });
  });

  it('a plan flagged for a retest (or gone) is not scheduled', async () => {
    ddb.on(GetCommand).resolves({ Item: plan('retest_required') });
    expect(await handler(passed)).toEqual({ action: 'stale' });
    ddb.on(GetCommand).resolves({});
    expect(await handler(passed)).toEqual({ action: 'stale' });
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('the same pass delivered again: the schedule exists, nothing fails', async () => {
    ddb.on(GetCommand).resolves({ Item: plan('current') });
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    expect(await handler(passed)).toEqual({ action: 'scheduled' });
  });

  it('anything else is refused', async () => {
    await expect(handler({ 'detail-type': 'ContinuityTestFailed', detail: passed.detail })).rejects.toThrow();
  });
});
