/**
 * Runs the escalation workflow file with the local runner over a scripted
 * incident: the real ASL and the real evaluation (`createSlaEvaluator`:
 * clocks, decision, announcements, escalation plan) over an in-memory
 * incident whose whole history is replayed only up to a simulated "now";
 * the simulated time jumps to each `waitUntil` the workflow waits for
 * (waits take 0 ms), exactly as time would pass in AWS. Shared by the
 * workflow tests and the benchmark (state transitions per path).
 *
 * Import it after the data layer's environment is set: it loads handlers.
 * @module
 */

import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { defaultSlaDefinition } from '#shared/domain/sla/sla-definition.js';
import { createSlaEvaluator } from '../../functions/sla/evaluate-sla.js';
import { localWorkflows } from '../../infra/local/local-stack.js';

export const HOUR = 3_600_000;
/** Monday 2024-01-01 00:00 UTC. */
export const T0 = Date.UTC(2024, 0, 1);
export const h = (hours: number) => new Date(T0 + hours * HOUR);
export const hoursOf = (iso: string) => (Date.parse(iso) - T0) / HOUR;
/** 24×7, so hours in the scripts are business hours. P3: response 4 h, resolution 24 h; P1: 1 h and 4 h. */
export const sla247 = defaultSlaDefinition(businessCalendarSchema.parse({ timeZone: 'UTC', alwaysOpen: true }));
const officeDay = [{ start: '08:00', end: '18:00' }];
export const officeHours = { timeZone: 'UTC', week: { mon: officeDay, tue: officeDay, wed: officeDay, thu: officeDay, fri: officeDay } };

/** Tests never wait: waits and retry backoffs take 0 ms. */
export const FAST = { waitTimeOverrides: { WaitForThreshold: 0 }, retryIntervalOverrides: { EvaluateSla: 0 } };

export interface Line {
  readonly at: number;
  /** The audit action. @default `create` for the first line, `update` for a priority change alone, `transition` otherwise */
  readonly action?: string;
  readonly status?: string;
  readonly hold?: string | null;
  readonly priority?: number;
}

export interface Announced {
  readonly type: string;
  readonly metric: string;
  readonly threshold: number;
  readonly reachedAt: number;
  readonly priority: number;
}

export interface Scenario {
  /** The incident's whole history, in hours; only the part before the simulated now exists at each evaluation. */
  readonly lines: readonly Line[];
  /** When the execution starts. @default 0 */
  readonly startAt?: number;
  /** The version whose change armed the execution. @default 1 */
  readonly generation?: number;
  /** The first this many invocations fail with this error name (as the Lambda integration names service errors). */
  readonly failures?: { readonly count: number; readonly name: string };
  readonly answer?: (payload: unknown) => unknown;
  /** @default no levels, so the threshold paths are seen alone */
  readonly escalation?: EscalationPolicy;
}

/** One escalation step taken, as the fake records it. */
export interface Escalated {
  readonly at: number;
  readonly level: number;
  readonly repeat: number;
  readonly kind: string;
}

/** Runs the workflow over a scripted incident; returns the execution, the announcements and the wake-ups. */
export async function runScenario(scenario: Scenario) {
  let now = h(scenario.startAt ?? 0);
  let calls = 0;
  const announced = new Set<string>();
  const events: Announced[] = [];
  const escalations: Escalated[] = [];
  const wakeUps: number[] = [];
  const past = () => scenario.lines.filter((line) => line.at <= hoursOf(now.toISOString()));
  const evaluate = createSlaEvaluator({
    now: () => now,
    getIncident: async (tenantId, id) => ({
      tenantId,
      id,
      number: 'INC0001001',
      version: past().length,
      priority: (past().findLast((line) => line.priority)?.priority ?? 3) as Priority,
      serviceId: null,
      category: 'network',
      customerId: null,
    }),
    listHistory: async () =>
      past().map((line, index) => ({
        action: line.action ?? (index === 0 ? 'create' : line.priority && !line.status ? 'update' : 'transition'),
        version: index + 1,
        at: h(line.at).toISOString(),
        changes: [
          ...(line.status ? [{ field: 'status', to: line.status }] : []),
          ...(line.status ? [{ field: 'holdReason', to: line.hold ?? null }] : []),
          ...(line.priority ? [{ field: 'priority', to: line.priority }] : []),
        ],
      })),
    getAnnounced: async () => new Set(announced),
    announce: async (_incident, announcement) => {
      for (const key of announcement.covers) announced.add(key);
      events.push({
        type: announcement.kind === 'breach' ? 'SlaBreached' : 'SlaWarning',
        metric: announcement.metric,
        threshold: announcement.fraction,
        reachedAt: hoursOf(announcement.reachedAt.toISOString()),
        priority: announcement.priority,
      });
    },
    slaPolicyFor: async () => ({ definitions: [sla247], calendarOverrides: [] }),
    escalationPolicyFor: async () => scenario.escalation ?? { levels: [] },
    escalate: async (_incident, step, at) => {
      for (const key of step.covers) announced.add(key);
      escalations.push({ at: hoursOf(at.toISOString()), level: step.levelIndex, repeat: step.repeat, kind: step.level.kind });
    },
  });
  const workflows = localWorkflows({
    functions: {
      'sla/evaluate-sla': async (payload) => {
        calls += 1;
        if (scenario.failures && calls <= scenario.failures.count) {
          throw Object.assign(new Error('Rate exceeded'), { name: scenario.failures.name });
        }
        if (scenario.answer) return scenario.answer(payload);
        // Time passes in the Wait state: the next evaluation happens at the instant it waited for.
        const waitedFor = (payload as { waitUntil?: string }).waitUntil;
        if (waitedFor) now = new Date(waitedFor);
        const result = await evaluate(payload);
        if (result.waitUntil) wakeUps.push(hoursOf(result.waitUntil));
        return result;
      },
    },
  });
  const execution = await workflows.startExecution(
    'incident-escalation',
    { tenantId: 'acme', incidentId: '01KAZ9R2B6N1V8C4X7Z3L5K9JH', generation: scenario.generation ?? 1 },
    FAST,
  );
  return { execution, events, escalations, wakeUps, transitions: execution.states.length + execution.retries.length };
}
