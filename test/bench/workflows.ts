/**
 * What watching an incident's SLA costs on the common paths, measured by
 * running the whole watch (`test/statemachines/escalation-scenario.ts`:
 * the bus rule's pattern, the real arming, one-off schedules, and
 * `statemachines/incident-escalation.asl.json` run by the local runner on
 * each firing, over scripted incidents in simulated time), and priced.
 *
 * Price assumptions (us-east-1 list prices):
 * - Step Functions Standard: $0.025 per 1,000 state transitions ($25 per million);
 * - EventBridge Scheduler: $1.00 per million scheduled invocations (a firing);
 *   CreateSchedule / DeleteSchedule / ListSchedules API calls are not billed
 *   per call (they count against API quotas), so they are counted, not priced;
 * - the Lambda invocations of the arming and of the task are left out here
 *   (about $0.20 per million requests plus duration: `docs/sla.md`).
 */
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';

/** Standard workflows, us-east-1 list price: $0.025 per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1000;
/** EventBridge Scheduler, us-east-1 list price: $1.00 per million invocations. */
export const USD_PER_SCHEDULE_INVOCATION = 1 / 1_000_000;

export interface WorkflowFigure {
  readonly path: string;
  /** Share of incidents on this path in the typical mix (0 when the path is shown but not in the mix). */
  readonly share: number;
  /** Arming invocations (bus rule `ArmSlaEscalation`). */
  readonly arms: number;
  /** Schedule firings (billed Scheduler invocations). */
  readonly firings: number;
  readonly executions: number;
  readonly transitions: number;
  readonly created: number;
  readonly deleted: number;
  readonly listed: number;
  /** Step Functions and Scheduler charges for 1 M incidents on this path, in USD. */
  readonly usdPerMillion: number;
}

/** Runs each path; import after the data layer's environment is set (a local stack is running). */
export async function measureWorkflowTransitions(): Promise<{ figures: WorkflowFigure[]; mixUsdPerMillion: number }> {
  const { runScenario } = await import('../statemachines/escalation-scenario.js');
  const twoLevels: EscalationPolicy = {
    levels: [
      { name: 'Response late: duty manager', metric: 'response', trigger: { threshold: 1 }, kind: 'hierarchical', notifyRoles: ['manager'] },
      { name: 'Resolution late: second line', metric: 'resolution', trigger: { threshold: 1 }, kind: 'functional', assignmentGroup: 'l2' },
    ],
  };
  // The typical mix of docs/sla.md: 70 % resolved early, 20 % one warning, 10 % breached with escalations.
  const paths = [
    {
      path: 'P3 resolved early (worked at 0.5 h, resolved at 1.5 h)',
      share: 0.7,
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 0.5, status: 'in_progress' },
        { at: 1.5, status: 'resolved' },
      ],
    },
    {
      path: 'P3 one warning (response 50 % at 2 h, worked at 2.5 h, resolved at 5 h)',
      share: 0.2,
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 2.5, status: 'in_progress' },
        { at: 5, status: 'resolved' },
      ],
    },
    {
      path: 'P1 breach + two escalations (unattended, resolved at 4.5 h)',
      share: 0.1,
      lines: [
        { at: 0, status: 'new', priority: 1 },
        { at: 4.5, status: 'resolved' },
      ],
      escalation: twoLevels,
    },
    {
      path: 'P3 paused 2 h awaiting the customer, resumed, resolved (not in the mix)',
      share: 0,
      lines: [
        { at: 0, status: 'new', priority: 3 },
        { at: 1, status: 'in_progress' },
        { at: 3, status: 'on_hold', hold: 'awaiting_customer' },
        { at: 5, status: 'in_progress', action: 'resume' },
        { at: 10, status: 'resolved' },
      ],
    },
  ];
  const figures: WorkflowFigure[] = [];
  for (const { path, share, lines, escalation } of paths) {
    const result = await runScenario({ lines, ...(escalation ? { escalation } : {}) });
    const failed = result.executions.find((execution) => execution.status !== 'SUCCEEDED');
    if (failed) throw new Error(`${path}: ${failed.status} ${failed.error ?? ''}`);
    if (result.armed.size > 0) throw new Error(`${path}: a schedule is left armed after the resolution`);
    figures.push({
      path,
      share,
      arms: result.arms,
      firings: result.firings,
      executions: result.executions.length,
      transitions: result.transitions,
      ...result.scheduleCalls,
      usdPerMillion: (result.transitions * USD_PER_TRANSITION + result.firings * USD_PER_SCHEDULE_INVOCATION) * 1_000_000,
    });
  }
  const mixUsdPerMillion = figures.reduce((sum, figure) => sum + figure.share * figure.usdPerMillion, 0);
  return { figures, mixUsdPerMillion };
}
