/**
 * State transitions per continuity test on the common paths, counted by
 * running `statemachines/continuity-test.asl.json` with the local runner and
 * the real task functions (DynamoDB Local, a probe target on 127.0.0.1),
 * and the Step Functions cost they imply at list price.
 */
import { USD_PER_TRANSITION } from './workflows.js';

export interface ContinuityFigure {
  readonly path: string;
  readonly steps: number;
  readonly retries: number;
  readonly transitions: number;
  readonly outcome: string;
  /** Step Functions charges for 1 M tests on this path, in USD. */
  readonly usdPerMillion: number;
}

/** Runs each path; import after the data layer's environment is set (a local stack is running). */
export async function measureContinuityTransitions(): Promise<ContinuityFigure[]> {
  const { manualStep, probeStep, probeTarget, runTest, seedTest, tokenFor } = await import('../statemachines/continuity-scenario.js');
  const up = await probeTarget();
  const down = await probeTarget();
  down.state.up = false;
  const tenant = `bench-continuity-${Date.now()}`;
  const paths = [
    { path: 'all pass: 3 probes', steps: [probeStep('app', up.url), probeStep('api', up.url), probeStep('db', up.url)] },
    {
      path: 'probe fails (2 retries) → action plan: 3 probes, the last down',
      steps: [probeStep('app', up.url), probeStep('api', up.url), probeStep('db', down.url)],
    },
    { path: 'all pass: 1 manual step confirmed + 2 probes', steps: [manualStep('failover'), probeStep('app', up.url), probeStep('db', up.url)] },
  ];
  const figures: ContinuityFigure[] = [];
  try {
    for (const { path, steps } of paths) {
      const { test } = await seedTest(tenant, steps);
      const run = await runTest(tenant, test, {
        during: async (workflows) => {
          if (!steps.some((step) => step.kind === 'manual')) return;
          workflows.sendTaskSuccess(await tokenFor(tenant, test.id, 'failover'), {
            stepId: 'failover',
            outcome: 'passed',
            detail: 'bench',
            confirmedBy: 'bench',
          });
        },
      });
      if (run.execution.status !== 'SUCCEEDED') throw new Error(`${path}: ${run.execution.status} ${run.execution.error ?? ''}`);
      figures.push({
        path,
        steps: steps.length,
        retries: run.execution.retries.length,
        transitions: run.transitions,
        outcome: run.after.status,
        usdPerMillion: run.transitions * USD_PER_TRANSITION * 1_000_000,
      });
    }
  } finally {
    await Promise.all([up.close(), down.close()]);
  }
  return figures;
}
