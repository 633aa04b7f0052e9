/**
 * One-off schedules (EventBridge Scheduler): "invoke this target with
 * this payload at that time". Used for webhook retries, continuity tests
 * and SLA escalation wake-ups; the local runtime points the client at its
 * in-process scheduler.
 * @module
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  paginateListSchedules,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
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
 * repeated call for the same retry fail (`ConflictException`) instead of
 * scheduling twice. The target is a function, or a state machine (the
 * scheduler starts an execution with the payload as its input).
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

/** Like {@link scheduleOnce}, but a schedule of that name being there already answers `exists` instead of throwing. */
export async function ensureScheduledOnce(input: { name: string; when: Date; targetArn: string; payload: unknown }): Promise<'created' | 'exists'> {
  try {
    await scheduleOnce(input);
    return 'created';
  } catch (error) {
    if (error instanceof ConflictException) return 'exists';
    throw error;
  }
}

/** Deletes the schedule `name` of the group; false when there is none (fired and deleted itself, or never made). */
export async function deleteSchedule(name: string): Promise<boolean> {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name, GroupName: requiredEnv('SCHEDULE_GROUP_NAME') }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** The names of the group's schedules that start with `prefix`. */
export async function listScheduleNames(prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListSchedules({ client }, { GroupName: requiredEnv('SCHEDULE_GROUP_NAME'), NamePrefix: prefix })) {
    for (const schedule of page.Schedules ?? []) if (schedule.Name) names.push(schedule.Name);
  }
  return names;
}
