import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ItsmFunction } from './itsm-function.js';
import { grantStopExecutions, workflowStateMachine } from './workflow-state-machine.js';

/** Props of {@link SlaEscalationWorkflow}. */
export interface SlaEscalationWorkflowProps {
  readonly stage: string;
  /** The single table: the evaluator reads incidents and writes announcements through the outbox. */
  readonly table: ITableV2;
}

/**
 * The incident escalation workflow: `statemachines/incident-escalation.asl.json`
 * (the file the local runner executes too), inlined with `fromString` so
 * template tests can read it, its `evaluate-sla` task function, logging,
 * tracing and an alarm on failed executions. Starting executions on
 * incident creation is wired separately.
 */
export class SlaEscalationWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  readonly evaluator: ItsmFunction;
  readonly failures: Alarm;

  constructor(scope: Construct, id: string, props: SlaEscalationWorkflowProps) {
    super(scope, id);
    this.evaluator = new ItsmFunction(this, 'EvaluateSla', { handler: 'sla/evaluate-sla', table: props.table, access: 'write', timeout: Duration.seconds(30) });

    this.stateMachineName = `itsm-${props.stage}-incident-escalation`;
    ({ stateMachine: this.stateMachine, failures: this.failures } = workflowStateMachine(this, {
      stateMachineName: this.stateMachineName,
      workflow: 'incident-escalation',
      substitutions: { EvaluateSlaFunctionArn: this.evaluator.function.functionArn },
      failureDescription: 'An SLA escalation workflow failed: its incident is no longer watched.',
    }));
  }

  /** Lets `fn` stop executions of this workflow (a re-arming replaces the watching one); it has no human tasks to answer. */
  grantControl(fn: ItsmFunction): void {
    grantStopExecutions(fn, this.stateMachineName);
  }
}
