/**
 * Events of the continuity practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema } from './common.js';

/** Detail of continuity plan events. */
export const ContinuityPlanEventDetail = EventEnvelope.extend({
  planId: z.string(),
  serviceId: z.string(),
  version: z.number().int(),
  status: z.enum(['current', 'retest_required']),
  nextTestDue: z.string().describe('ISO-8601 UTC'),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()).describe('ContinuityPlanRetestRequired: changeId, changeNumber, changeType, risk'),
});
export type ContinuityPlanEventDetail = z.infer<typeof ContinuityPlanEventDetail>;

/** Detail of continuity test events (actor `continuity-test` once the workflow runs). */
export const ContinuityTestEventDetail = EventEnvelope.extend({
  testId: z.string(),
  planId: z.string(),
  serviceId: z.string(),
  version: z.number().int(),
  status: z.enum(['requested', 'running', 'passed', 'failed']),
  kind: z.enum(['tabletop', 'live', 'combined']),
  trigger: z.enum(['on_demand', 'schedule']),
  recoveryMinutes: z.number().nullable(),
  rtoMinutes: z.number(),
  dataLossMinutes: z.number().nullable().describe('null when no step reported a recovery point'),
  rpoMinutes: z.number(),
  failureReasons: z.array(z.string()),
  improvementItemId: z.string().nullable(),
  problemId: z.string().nullable(),
  stepId: z.string().nullable().describe('ContinuityStepConfirmationRequested: the manual step waiting for a person'),
});
export type ContinuityTestEventDetail = z.infer<typeof ContinuityTestEventDetail>;

/** Detail of improvement item events: the record and what opened it. */
export const ActionRecordEventDetail = EventEnvelope.extend({
  recordId: z.string(),
  number: z.string().describe('IMP0001001'),
  version: z.number().int(),
  title: z.string(),
  serviceId: z.string(),
  sourceTestId: z.string().describe('The continuity test whose failure opened it'),
  owner: z.string().nullable().describe('Improvement items: who closes the gap'),
  deadline: z.string().nullable().describe('Improvement items: ISO-8601 UTC'),
});
export type ActionRecordEventDetail = z.infer<typeof ActionRecordEventDetail>;

/** The continuity practice's events: detail-type → source, schema, description. */
export const continuityEvents = {
  ...eventsOf('itsm.continuity', ContinuityPlanEventDetail, {
    ContinuityPlanCreated: 'A continuity plan was recorded for a business service; its first test is due now.',
    ContinuityPlanRetestRequired: 'A major or emergency change touched the service: the plan must be retested, due now.',
  }),
  ...eventsOf('itsm.continuity', ContinuityTestEventDetail, {
    ContinuityTestRequested: 'A continuity test was requested (on demand or by schedule); the workflow starts it.',
    ContinuityTestStarted: 'The continuity test workflow started running the steps.',
    ContinuityStepConfirmationRequested: 'A manual step waits for a person to confirm it (POST /continuity-tests/{id}/steps/{stepId}/confirm) within 24 h.',
    ContinuityTestPassed: 'Every step passed, recovery within RTO, data loss within RPO.',
    ContinuityTestFailed: 'A step failed or timed out, or recovery exceeded RTO or data loss RPO (`failureReasons`).',
    ContinuityActionPlanOpened: 'The action plan of a failed test: an improvement item and, when a step exposed a defect, a problem record.',
  }),
  ...eventsOf('itsm.improvement', ActionRecordEventDetail, {
    ImprovementItemOpened: 'An improvement item was opened (owner, goal, deadline, expected result).',
  }),
};
