/**
 * The escalation schedules on EventBridge Scheduler (the local scheduler
 * in the local runtime): each starts the escalation workflow with the
 * incident's identity as its input, through the scheduler's Step Functions
 * target, with the stage's schedule dead-letter queue behind it.
 * @module
 */
import { deleteSchedule, ensureScheduledOnce, listScheduleNames } from '#shared/events/scheduler.js';
import { stateMachineArn } from '#shared/workflows/step-functions.js';
import type { EscalationSchedules } from './escalation-watch.js';

export const schedulerEscalationSchedules: EscalationSchedules = {
  list: listScheduleNames,
  create: (name, at, input) => ensureScheduledOnce({ name, when: at, targetArn: stateMachineArn('incident-escalation'), payload: input }),
  delete: deleteSchedule,
};
