import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RECOVERY_FUNCTION_PREFIX } from '#shared/domain/continuity/continuity-plan.js';
import { ItsmFunction } from './itsm-function.js';
import { workflowStateMachine } from './workflow-state-machine.js';

/** Props of {@link ContinuityTestWorkflow}. */
export interface ContinuityTestWorkflowProps {
  readonly stage: string;
  /** The single table: the tasks read and write tests, plans, improvement items and problems through the outbox. */
  readonly table: ITableV2;
}

/**
 * The task functions of `statemachines/continuity-test.asl.json`: placeholder
 * → handler module and what each needs. The probe reads nothing from the
 * table and gets no access to it.
 */
const TASKS = [
  { placeholder: 'RecordTestStartFunctionArn', id: 'RecordTestStart', handler: 'continuity/record-test-start', access: 'write', timeout: 30 },
  { placeholder: 'RunProbeFunctionArn', id: 'RunProbe', handler: 'continuity/run-probe', access: 'none', timeout: 75 },
  { placeholder: 'RequestConfirmationFunctionArn', id: 'RequestConfirmation', handler: 'continuity/request-confirmation', access: 'write', timeout: 30 },
  { placeholder: 'CompleteTestFunctionArn', id: 'CompleteTest', handler: 'continuity/complete-test', access: 'write', timeout: 30 },
  { placeholder: 'OpenActionPlanFunctionArn', id: 'OpenActionPlan', handler: 'continuity/open-action-plan', access: 'write', timeout: 30 },
] as const;

/**
 * The continuity test workflow: the ASL file the local runner executes too,
 * inlined with `fromString` so template tests can read it, its five task
 * functions, logging without execution data, tracing, invoke rights on
 * exactly those functions, and an alarm on failed executions. It is named
 * `itsm-<stage>-continuity-test`: the API's confirm route completes its
 * human tasks by that name. Executions are started by the bus rule
 * `StartContinuityTest`.
 */
export class ContinuityTestWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: readonly ItsmFunction[];
  readonly failures: Alarm;

  constructor(scope: Construct, id: string, props: ContinuityTestWorkflowProps) {
    super(scope, id);
    const tasks = TASKS.map((task) => ({
      ...task,
      fn: new ItsmFunction(this, task.id, {
        handler: task.handler,
        ...(task.access === 'none' ? {} : { table: props.table }),
        access: task.access,
        timeout: Duration.seconds(task.timeout),
      }),
    }));
    this.functions = tasks.map((task) => task.fn);
    // Automated steps may invoke the account's recovery runbooks, named itsm-recovery-…, and nothing else.
    const runner = tasks.find((task) => task.id === 'RunProbe')?.fn;
    if (!runner) throw new Error('The continuity workflow needs its RunProbe task');
    const recoveryFunctions = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `${RECOVERY_FUNCTION_PREFIX}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    runner.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [recoveryFunctions] }));
    Validations.of(runner.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${RECOVERY_FUNCTION_PREFIX}*]`,
      reason: 'Plans name their recovery runbooks at run time; invocation is limited to functions of this account named itsm-recovery-….',
    });

    ({ stateMachine: this.stateMachine, failures: this.failures } = workflowStateMachine(this, {
      stateMachineName: `itsm-${props.stage}-continuity-test`,
      workflow: 'continuity-test',
      substitutions: Object.fromEntries(tasks.map((task) => [task.placeholder, task.fn.function.functionArn])),
      failureDescription: 'A continuity test workflow failed: the test is not recorded and no action plan was opened.',
    }));
  }
}
