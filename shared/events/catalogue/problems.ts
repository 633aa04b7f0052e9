/**
 * Events of the problems practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema, SettingsEventDetail } from './common.js';

/** Detail of every problem event. */
export const ProblemEventDetail = EventEnvelope.extend({
  problemId: z.string(),
  number: z.string().describe('PRB0001001'),
  version: z.number().int(),
  title: z.string(),
  status: z.string(),
  priority: z.number().int().nullable(),
  incidentIds: z.array(z.string()).describe('Incidents linked by this change'),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type ProblemEventDetail = z.infer<typeof ProblemEventDetail>;

/** The problems practice's events: detail-type → source, schema, description. */
export const problemEvents = {
  ...eventsOf('itsm.problems', ProblemEventDetail, {
    ProblemCreated: 'A problem was raised by an agent, from incidents, or by a failed continuity test (`facts.source`).',
    ProblemProposed:
      'Trend detection proposed a problem for a cluster of incidents on one CI or under one shared dependency; an agent accepts or dismisses it.',
    ProblemAccepted: 'An agent accepted a proposed problem.',
    ProblemDismissed: 'An agent dismissed a proposed problem; the cluster is not proposed again within the trend window.',
    ProblemAssessed: 'Impact set; priority follows from impact × frequency band.',
    ProblemAnalysisStarted: 'Root-cause analysis started.',
    ProblemRootCauseIdentified: 'The root cause was recorded (method, findings, contributing CIs).',
    KnownErrorPublished: 'A known error (symptoms, cause, workaround) was published; incidents on its CIs are offered the workaround.',
    ProblemResolved: 'A permanent fix through a linked change; the fix is watched for recurrence.',
    ProblemClosed: 'The fix was verified (no recurrence within the verification window) and the problem closed.',
    ProblemCancelled: 'The problem was cancelled.',
    ProblemIncidentsLinked: 'Incidents were linked to the problem (`facts.recurrence` after a fix).',
  }),
  ...eventsOf('itsm.tenants', SettingsEventDetail, {
    ProblemSettingsUpdated: "The tenant's trend-detection or verification settings changed.",
  }),
};
