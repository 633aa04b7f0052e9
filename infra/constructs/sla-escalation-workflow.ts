import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { REPO_ROOT } from './bundling.js';
import { ItsmFunction } from './itsm-function.js';

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
    const logs = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readFileSync(join(REPO_ROOT, 'statemachines', 'incident-escalation.asl.json'), 'utf8')),
      definitionSubstitutions: { EvaluateSlaFunctionArn: this.evaluator.function.functionArn },
      // Execution data stays out of the logs: inputs and outputs carry tenant ids.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Not grantInvoke: its `<arn>:*` (every version and alias) is a wildcard nothing here needs.
    this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.evaluator.function.functionArn] }));
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray support no resource-level permissions.',
    });

    this.failures = new Alarm(this, 'ExecutionsFailed', {
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'An SLA escalation workflow failed: its incident is no longer watched.',
    });
  }

  /** Lets `fn` stop executions of this workflow (a re-arming replaces the watching one); it has no human tasks to answer. */
  grantControl(fn: ItsmFunction): void {
    const executions = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }));
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${this.stateMachineName}:*]`,
      reason: 'Executions are named after incidents at run time; StopExecution is limited to executions of this one state machine.',
    });
  }
}
