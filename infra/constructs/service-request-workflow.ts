import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { REQUEST_WORKFLOW } from '#shared/domain/requests/request-workflow.js';
import { ItsmFunction } from './itsm-function.js';
import { grantTaskResponses, stateMachineArnOf, workflowStateMachine } from './workflow-state-machine.js';

/** Props of {@link ServiceRequestWorkflow}. */
export interface ServiceRequestWorkflowProps {
  readonly stage: string;
  /** The single table: the task function reads and writes requests through the outbox. */
  readonly table: ITableV2;
}

/**
 * The service request workflow: `statemachines/service-request.asl.json`
 * (the file the local runner executes too), inlined so template tests can
 * read it; its task function, which may answer its own waiting step
 * (SendTaskSuccess on this state machine only) when the request is past it
 * already; logging without execution data, tracing, and an alarm on failed
 * executions. Executions are started and answered by the `RequestWorkflow`
 * rule's function, which the events stack grants through
 * {@link ServiceRequestWorkflow.grantControl}.
 */
export class ServiceRequestWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly task: ItsmFunction;
  readonly failures: Alarm;
  /** The state machine's ARN, spelt from its name: grants that use it create no dependency cycle with the task function. */
  readonly stateMachineArn: string;

  constructor(scope: Construct, id: string, props: ServiceRequestWorkflowProps) {
    super(scope, id);
    const stateMachineName = `itsm-${props.stage}-${REQUEST_WORKFLOW}`;
    this.stateMachineArn = stateMachineArnOf(this, stateMachineName);
    this.task = new ItsmFunction(this, 'Task', {
      handler: 'requests/request-workflow-task',
      table: props.table,
      access: 'write',
      timeout: Duration.seconds(30),
    });
    this.grantTaskResponse(this.task.role);

    ({ stateMachine: this.stateMachine, failures: this.failures } = workflowStateMachine(this, {
      stateMachineName,
      workflow: REQUEST_WORKFLOW,
      substitutions: { RequestWorkflowTaskFunctionArn: this.task.function.functionArn },
      failureDescription: 'A service request workflow failed (a task kept failing, or a stage never ended).',
    }));
  }

  /** SendTaskSuccess/Failure on this state machine's tasks, nothing else. */
  grantTaskResponse(grantee: IGrantable): void {
    grantTaskResponses(grantee, this.stateMachineArn);
  }

  /** What the advancer needs beyond starting executions (granted by the events stack): answer the waiting steps. */
  grantControl(fn: ItsmFunction): void {
    this.grantTaskResponse(fn.role);
  }
}
