import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { REPO_ROOT } from './bundling.js';
import type { ItsmFunction } from './itsm-function.js';

/** Props of {@link workflowStateMachine}. */
export interface WorkflowStateMachineProps {
  readonly stateMachineName: string;
  /** The ASL file `statemachines/<workflow>.asl.json`: the file the local runner executes too. */
  readonly workflow: string;
  /** `${Placeholder}` → the ARN of the task function behind it. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** What a failed execution means, for whoever the alarm pages. */
  readonly failureDescription: string;
}

/**
 * What every workflow of the product is made of, in `scope`: a Standard
 * state machine from its ASL file (inlined, so template tests can read it),
 * with its placeholders substituted; logging without execution data
 * (inputs carry tenant ids, task tokens, evidence); tracing; the right to
 * invoke exactly its task functions; and an alarm on failed executions.
 */
export function workflowStateMachine(scope: Construct, props: WorkflowStateMachineProps): { stateMachine: StateMachine; failures: Alarm } {
  const logs = new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(readFileSync(join(REPO_ROOT, 'statemachines', `${props.workflow}.asl.json`), 'utf8')),
    definitionSubstitutions: { ...props.substitutions },
    logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    tracingEnabled: true,
  });
  // Not grantInvoke: its `<arn>:*` (every version and alias) is a wildcard nothing here needs.
  stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(props.substitutions) }));
  Validations.of(stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray support no resource-level permissions.',
  });
  const failures = new Alarm(scope, 'ExecutionsFailed', {
    metric: stateMachine.metricFailed({ period: Duration.minutes(5) }),
    threshold: 0,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: props.failureDescription,
  });
  return { stateMachine, failures };
}

/**
 * Lets `fn` stop executions of the state machine named `stateMachineName`
 * and no other: executions are named at run time (after incidents,
 * changes), so the grant is every execution of that one machine.
 */
export function grantStopExecutions(fn: ItsmFunction, stateMachineName: string): void {
  const executions = Stack.of(fn).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }));
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
    reason: 'Executions are named at run time; StopExecution is limited to executions of this one state machine.',
  });
}

/** The ARN of the state machine named `stateMachineName`, spelt from its name: grants that use it create no dependency cycle with its task functions. */
export function stateMachineArnOf(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** Lets `grantee` answer the human tasks (SendTaskSuccess/Failure) of the state machine `stateMachineArn`, nothing else. */
export function grantTaskResponses(grantee: IGrantable, stateMachineArn: string): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [stateMachineArn] }),
  );
}
