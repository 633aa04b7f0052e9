/**
 * State transitions per incident of the SLA escalation workflow on the
 * common paths, counted by running `statemachines/incident-escalation.asl.json`
 * with the local runner over scripted incidents (simulated time, real
 * evaluation), and the Step Functions cost they imply at list price.
 */
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';

/** Standard workflows, us-east-1 list price: $0.025 per 1,000 state transitions. */
export const USD_PER_TRANSITION = 0.025 / 1000;

export interface WorkflowFigure {
  readonly path: string;
  readonly executions: number;
  readonly evaluations: number;
  readonly transitions: number;
  /** Step Functions charges for 1 M incidents on this path, in USD. */
  readonly usdPerMillion: number;
}

/** Runs each path; import after the data layer's environment is set (a local stack is running). */
export async function measureWorkflowTransitions(): Promise<WorkflowFigure[]> {
  const { runScenario } = await import('../statemachines/escalation-scenario.js');
  const twoLevels: EscalationPolicy = {
    levels: [
      { name: 'Response late: duty manager', metric: 'response', trigger: { threshold: 1 }, kind: 'hierarchical', notifyRoles: ['manager'] },
      { name: 'Resolution late: second line', metric: 'resolution', trigger: { threshold: 1 }, kind: 'functional', assignmentGroup: 'l2' },
    ],
  };
  const paths = [
    {
      path: 'P3 resolved early (worked at 0.5 h, resolved at 1.5 h)',
      runs: [
        {
          lines: [
            { at: 0, status: 'new', priority: 3 },
            { at: 0.5, status: 'in_progress' },
            { at: 1.5, status: 'resolved' },
          ],
        },
      ],
    },
    {
      path: 'P3 one warning (response 50 % at 2 h, worked at 2.5 h, resolved at 5 h)',
      runs: [
        {
          lines: [
            { at: 0, status: 'new', priority: 3 },
            { at: 2.5, status: 'in_progress' },
            { at: 5, status: 'resolved' },
          ],
        },
      ],
    },
    {
      path: 'P1 breach + two escalations (unattended, resolved at 4.5 h)',
      runs: [
        {
          lines: [
            { at: 0, status: 'new', priority: 1 },
            { at: 4.5, status: 'resolved' },
          ],
          escalation: twoLevels,
        },
      ],
    },
    {
      path: 'P3 paused 2 h awaiting the customer, resumed (re-armed), resolved',
      runs: (() => {
        const lines = [
          { at: 0, status: 'new', priority: 3 },
          { at: 1, status: 'in_progress' },
          { at: 3, status: 'on_hold', hold: 'awaiting_customer' },
          { at: 5, status: 'in_progress', action: 'resume' },
          { at: 10, status: 'resolved' },
        ];
        return [{ lines }, { lines, startAt: 5, generation: 4 }];
      })(),
    },
  ];
  const figures: WorkflowFigure[] = [];
  for (const { path, runs } of paths) {
    let transitions = 0;
    let evaluations = 0;
    for (const run of runs) {
      const result = await runScenario(run);
      if (result.execution.status !== 'SUCCEEDED') throw new Error(`${path}: ${result.execution.status} ${result.execution.error ?? ''}`);
      transitions += result.transitions;
      evaluations += result.execution.states.filter((state) => state === 'EvaluateSla').length;
    }
    figures.push({ path, executions: runs.length, evaluations, transitions, usdPerMillion: transitions * USD_PER_TRANSITION * 1_000_000 });
  }
  return figures;
}
