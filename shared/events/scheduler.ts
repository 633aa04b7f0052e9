/**
 * One-off schedules (EventBridge Scheduler): "invoke this function with
 * this payload at that time". Used for webhook retries; the local runtime
 * points the client at its in-process scheduler.
 * @module
 */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';

const client = traced(new SchedulerClient(awsClientConfig('SCHEDULER_ENDPOINT')));

/** `at(…)` takes whole seconds in UTC; a fraction rounds up so nothing runs early. */
export function atExpression(when: Date): string {
  const seconds = new Date(Math.ceil(when.getTime() / 1000) * 1000);
  return `at(${seconds.toISOString().slice(0, 19)})`;
}

/**
 * Invokes `targetArn` with `payload` at `when`, once; the schedule deletes
 * itself afterwards. `name` must be unique (≤ 64 characters): it makes a
 * repeated call for the same retry fail instead of scheduling twice.
 */
export async function scheduleOnce(input: { name: string; when: Date; targetArn: string; payload: unknown }): Promise<void> {
  await client.send(
    new CreateScheduleCommand({
      Name: input.name,
      GroupName: requiredEnv('SCHEDULE_GROUP_NAME'),
      ScheduleExpression: atExpression(input.when),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: input.targetArn,
        RoleArn: requiredEnv('SCHEDULER_ROLE_ARN'),
        Input: JSON.stringify(input.payload),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        // Given up after its retries, the invocation is kept (and alarmed on) instead of dropped.
        DeadLetterConfig: { Arn: requiredEnv('SCHEDULER_DLQ_ARN') },
      },
    }),
  );
}
