import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineArnVariable } from '#shared/workflows/workflow-arn.js';
import { ItsmFunction } from './itsm-function.js';
import { workflowStateMachine } from './workflow-state-machine.js';

/** Props of {@link SlaEscalationWorkflow}. */
export interface SlaEscalationWorkflowProps {
  readonly stage: string;
  /** The single table: the evaluator reads incidents and writes announcements through the outbox. */
  readonly table: ITableV2;
  /** The stage's schedule group, where each incident's one-off escalation schedule lives. */
  readonly scheduleGroupName: string;
  /** Where a schedule's invocation lands when the scheduler gives up on it. */
  readonly scheduleDeadLetters: IQueue;
}

/** Escalation schedules are named `sla-<tenant hash>-<incident>-<epoch s>` (`shared/services/sla/escalation-watch.ts`). */
const SCHEDULE_NAME_PREFIX = 'sla-';

/**
 * The incident escalation workflow: `statemachines/incident-escalation.asl.json`
 * (the file the local runner executes too), inlined with `fromString` so
 * template tests can read it, its `evaluate-sla` task function, logging,
 * tracing and an alarm on failed executions; and the role EventBridge
 * Scheduler assumes to start it from an incident's one-off schedule.
 * Functions that arm those schedules get {@link grantArming}.
 */
export class SlaEscalationWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly stateMachineName: string;
  readonly evaluator: ItsmFunction;
  readonly failures: Alarm;
  /** Assumed by EventBridge Scheduler: starts this workflow and dead-letters what it cannot. */
  readonly schedulerRole: Role;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SlaEscalationWorkflowProps,
  ) {
    super(scope, id);
    this.evaluator = new ItsmFunction(this, 'EvaluateSla', { handler: 'sla/evaluate-sla', table: props.table, access: 'write', timeout: Duration.seconds(30) });

    this.stateMachineName = `itsm-${props.stage}-incident-escalation`;
    ({ stateMachine: this.stateMachine, failures: this.failures } = workflowStateMachine(this, {
      stateMachineName: this.stateMachineName,
      workflow: 'incident-escalation',
      substitutions: { EvaluateSlaFunctionArn: this.evaluator.function.functionArn },
      failureDescription: 'An SLA escalation run failed: its incident has no schedule armed until its next change.',
    }));

    // By name, not by reference: the machine's definition names the evaluator, which arms schedules
    // that start the machine; a reference both ways would be a cycle.
    const machineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.schedulerRole = new Role(this, 'SchedulerRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }));
    props.scheduleDeadLetters.grantSendMessages(this.schedulerRole);
    // The run arms the next wake-up itself.
    this.grantArming(this.evaluator, machineArn);
  }

  /**
   * Lets `fn` arm, move and remove incidents' escalation schedules (and
   * nothing else of the group), passing the scheduler role to them, with
   * what the scheduler needs in its environment.
   */
  grantArming(fn: ItsmFunction, stateMachineArn: string = this.stateMachine.stateMachineArn): void {
    const stack = Stack.of(this);
    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.props.scheduleGroupName}/${SCHEDULE_NAME_PREFIX}*` });
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], resources: [schedules] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.schedulerRole.roleArn] }));
    fn.function.addEnvironment('SCHEDULE_GROUP_NAME', this.props.scheduleGroupName);
    fn.function.addEnvironment('SCHEDULER_ROLE_ARN', this.schedulerRole.roleArn);
    fn.function.addEnvironment('SCHEDULER_DLQ_ARN', this.props.scheduleDeadLetters.queueArn);
    fn.function.addEnvironment(stateMachineArnVariable('incident-escalation'), stateMachineArn);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.props.scheduleGroupName}/${SCHEDULE_NAME_PREFIX}*]`,
      reason: "Escalation schedules are named per incident and instant at run time; the grant is limited to the sla- schedules of this stage's group.",
    });
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'scheduler:ListSchedules supports no resource-level permissions (it lists the one group the function names).',
    });
  }
}
