import { ArnFormat, CrossStackReferences, Duration, ReferenceStrength, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus, type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { CloudWatchLogGroup, LambdaFunction, SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CHANGE_WORKFLOW } from '#shared/domain/changes/change-workflow.js';
import { REQUEST_WORKFLOW } from '#shared/domain/requests/request-workflow.js';
import { TENANT_TIERS, type TenantTier } from '#shared/domain/tenant-limits.js';
import { OUTBOX_STREAM_FILTER } from '#shared/events/outbox-stream.js';
import { EVENT_RULES, type EventRuleSpec, functionArnVariable } from '#shared/events/rules.js';
import { stateMachineArnVariable } from '#shared/workflows/workflow-arn.js';
import { ChangeApprovalWorkflow } from '../constructs/change-approval-workflow.js';
import { ContinuityTestWorkflow } from '../constructs/continuity-test-workflow.js';
import { ItsmFunction } from '../constructs/itsm-function.js';
import { OperationsDashboard } from '../constructs/operations-dashboard.js';
import { ServiceRequestWorkflow } from '../constructs/service-request-workflow.js';
import { SlaEscalationWorkflow } from '../constructs/sla-escalation-workflow.js';
import { letWriteExports } from '../constructs/tenant-exports.js';

/** Lambda's own retries of an asynchronous invocation (its default, made explicit) before the on-failure destination. */
const TARGET_FUNCTION_RETRIES = 2;

/** Props of {@link EventsStack}. */
export interface EventsStackProps extends StackProps {
  readonly stage: string;
  /** The single table; its stream carries the outbox. */
  readonly table: ITableV2;
  /** The user pool, for targets that delete users (a deleted tenant's). */
  readonly userPool: IUserPool;
  /** The API stack's usage plan ids by tenant tier, for the target that keeps tenants' API keys in them. */
  readonly usagePlanIds: Readonly<Record<TenantTier, string>>;
  /**
   * How long the archive keeps every event for replay.
   * @default Duration.days(365)
   */
  readonly archiveRetention?: Duration;
}

/**
 * Events out: the custom bus `itsm-<stage>` with an archive for replay, the
 * outbox publisher (table stream → bus) with its dead-letter queue and
 * alarms, one rule per entry of `shared/events/rules.ts` (the list the
 * local bus evaluates too), each target with retries and a dead-letter
 * queue, and the SLA escalation and change approval workflows.
 */
export class EventsStack extends Stack {
  readonly bus: EventBus;
  /** Alarms an operator should route to a pager. */
  readonly alarms: Alarm[] = [];
  /** The one-off migration of free-text assignment groups into group records (`aws lambda invoke`, docs/groups.md). */
  readonly freeTextGroupMigration: ItsmFunction;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    // Weak references, as in the API stack: the data stack stays free to change its outputs.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('The table needs a stream: the outbox publisher reads it');

    this.bus = new EventBus(this, 'Bus', { eventBusName: `itsm-${props.stage}` });
    new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      archiveName: `itsm-${props.stage}-all`,
      description: 'Every event of the bus, for replay after an outage or a new consumer',
      eventPattern: { account: [Stack.of(this).account] },
      retention: props.archiveRetention ?? Duration.days(365),
    });

    // The publisher: it only reads the stream and writes to the bus.
    const publisher = new ItsmFunction(this, 'OutboxPublisher', {
      handler: 'events/publish-outbox',
      serviceName: 'itsm-outbox',
      timeout: Duration.seconds(30),
      memorySize: 512,
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.bus.grantPutEventsTo(publisher.role);
    publisher.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [streamArn] }),
    );
    publisher.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    Validations.of(publisher.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams supports no resource-level permissions (the event source mapping needs it); X-Ray likewise.',
    });

    const publisherFailures = this.deadLetterQueue('OutboxPublisherFailures');
    const deadLetters: Record<string, Queue> = { 'outbox publisher': publisherFailures };
    new EventSourceMapping(this, 'OutboxStream', {
      target: publisher.function,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      // Failed events are reported per record; the stream retries from the first one.
      reportBatchItemFailures: true,
      retryAttempts: 20,
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(publisherFailures),
      // One shard at a time keeps each record's events in order.
      parallelizationFactor: 1,
      filters: [{ pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }],
    });
    publisherFailures.grantSendMessages(publisher.role);

    this.alarm(
      'OutboxPublisherDeadLetters',
      publisherFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      0,
      'Outbox events were given up: replay them from the queue.',
    );
    this.alarm(
      'OutboxPublisherLag',
      publisher.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      60_000,
      'Events reach the bus more than a minute after the change.',
    );
    this.alarm('OutboxPublisherErrors', publisher.function.metricErrors({ period: Duration.minutes(5) }), 0, 'The outbox publisher fails.');

    const escalation = new SlaEscalationWorkflow(this, 'SlaEscalation', {
      stage: props.stage,
      table: props.table,
      scheduleGroupName: this.scheduleGroupName(props.stage),
      scheduleDeadLetters: this.scheduleDeadLetters(),
    });
    this.alarms.push(escalation.failures);

    const eventLogs = new LogGroup(this, 'EventLog', {
      logGroupName: `/itsm/${props.stage}/events`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const topics = new Map<string, Topic>();
    const changeApproval = new ChangeApprovalWorkflow(this, 'ChangeApproval', { stage: props.stage, table: props.table });
    this.alarms.push(changeApproval.failures);
    const continuityTests = new ContinuityTestWorkflow(this, 'ContinuityTest', { stage: props.stage, table: props.table });
    this.alarms.push(continuityTests.failures);
    const serviceRequests = new ServiceRequestWorkflow(this, 'ServiceRequest', { stage: props.stage, table: props.table });
    this.alarms.push(serviceRequests.failures);
    const workflows = new Map<string, StateMachine>([
      ['incident-escalation', escalation.stateMachine],
      [CHANGE_WORKFLOW, changeApproval.stateMachine],
      ['continuity-test', continuityTests.stateMachine],
      [REQUEST_WORKFLOW, serviceRequests.stateMachine],
    ]);
    const controllable = new Map<string, { grantControl(fn: ItsmFunction): void }>([
      [CHANGE_WORKFLOW, changeApproval],
      [REQUEST_WORKFLOW, serviceRequests],
    ]);
    const schedulable = new Map<string, { grantArming(fn: ItsmFunction): void }>([['incident-escalation', escalation]]);
    for (const rule of EVENT_RULES) {
      const deadLetterQueue = this.deadLetterQueue(`${rule.name}Failures`);
      deadLetters[rule.name] = deadLetterQueue;
      const delivery = { deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) };
      new Rule(this, rule.name, {
        eventBus: this.bus,
        description: rule.description,
        eventPattern: rule.pattern as never,
        targets: [this.target(rule, delivery, eventLogs, topics, workflows, controllable, schedulable, props)],
      });
      this.alarm(
        `${rule.name}DeadLetters`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        0,
        `Rule ${rule.name} could not deliver events, or its target function failed them after its retries: inspect and redrive the queue.`,
      );
    }
    this.acknowledgeLogGroupPolicyHelper();
    const scheduleFailures = this.node.tryFindChild('ScheduleFailures') as Queue | undefined;
    if (scheduleFailures) deadLetters.schedules = scheduleFailures;

    // One-off and operator-run (docs/groups.md): turns a tenant's free-text groups into group records. Not routed
    // and on no rule: an operator invokes it by its fixed name; the table is all it touches.
    this.freeTextGroupMigration = new ItsmFunction(this, 'MigrateFreeTextGroups', {
      handler: 'groups/migrate-free-text-groups',
      serviceName: 'itsm-group-migration',
      functionName: `itsm-${props.stage}-migrate-free-text-groups`,
      table: props.table,
      access: 'write',
      timeout: Duration.minutes(5),
    });

    // Here rather than in the API stack: the publisher, the queues and the workflows are this
    // stack's own, the API is found by its name, so the dashboard needs no new cross-stack reference.
    new OperationsDashboard(this, 'OperationsDashboard', {
      stage: props.stage,
      restApiName: `itsm-${props.stage}`,
      tableName: props.table.tableName,
      outboxPublisher: publisher.function,
      deadLetterQueues: deadLetters,
      stateMachines: [...workflows.values()],
      alarms: this.alarms,
    });
  }

  /**
   * A log-group target makes CDK add a custom resource that writes the log
   * group's resource policy (EventBridge needs it to deliver); its
   * singleton function comes with AWS's basic execution role.
   */
  private acknowledgeLogGroupPolicyHelper(): void {
    for (const child of this.node.children) {
      if (child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "CDK's own custom-resource function that sets the event log group's resource policy; its role is CDK-managed.",
        });
      }
      if (child.node.id.startsWith('EventsLogGroupPolicy')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'logs:PutResourcePolicy and DeleteResourcePolicy have no resource-level permissions; the policy belongs to the CDK helper that sets the event log group policy.',
        });
      }
    }
  }

  private target(
    rule: EventRuleSpec,
    delivery: { deadLetterQueue: Queue; retryAttempts: number; maxEventAge: Duration },
    eventLogs: LogGroup,
    topics: Map<string, Topic>,
    workflows: Map<string, StateMachine>,
    controllable: Map<string, { grantControl(fn: ItsmFunction): void }>,
    schedulable: Map<string, { grantArming(fn: ItsmFunction): void }>,
    props: EventsStackProps,
  ): IRuleTarget {
    const target = rule.target;
    if ('handler' in target) {
      const functionName = `itsm-${props.stage}-${rule.name}`;
      const fn = new ItsmFunction(this, `${rule.name}Target`, {
        handler: target.handler,
        table: props.table,
        access: target.tableAccess ?? 'write',
        timeout: Duration.seconds(target.timeoutSeconds ?? 30),
        ...(target.schedulesItself ? { functionName } : {}),
      });
      // EventBridge invokes asynchronously: after Lambda's own two retries a failed event would be
      // dropped. It lands in the rule's dead-letter queue instead (alarmed), and every error alarms.
      fn.function.configureAsyncInvoke({
        retryAttempts: TARGET_FUNCTION_RETRIES,
        // Lambda keeps an asynchronous event at most 6 h.
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(delivery.deadLetterQueue),
      });
      this.alarm(
        `${rule.name}Errors`,
        fn.function.metricErrors({ period: Duration.minutes(5) }),
        0,
        `The target function of rule ${rule.name} fails; after two retries its events go to the rule's dead-letter queue.`,
      );
      if (target.schedulesItself) this.letScheduleItself(fn, functionName, props.stage, target.handler);
      if (target.uses?.includes('export-bucket')) letWriteExports(fn, props.stage);
      if (target.uses?.includes('usage-plans')) this.letManageUsageKeys(fn, props.usagePlanIds);
      if (target.uses?.includes('user-pool')) {
        props.userPool.grant(fn.role, 'cognito-idp:AdminDeleteUser');
        fn.function.addEnvironment('USER_POOL_ID', props.userPool.userPoolId);
      }
      if (target.startsWorkflow) {
        const workflow = workflows.get(target.startsWorkflow);
        if (!workflow) throw new Error(`Rule ${rule.name} starts an unknown workflow ${target.startsWorkflow}`);
        workflow.grantStartExecution(fn.role);
        fn.function.addEnvironment(stateMachineArnVariable(target.startsWorkflow), workflow.stateMachineArn);
        if (target.controlsExecutions) {
          const controlled = controllable.get(target.startsWorkflow);
          if (!controlled) throw new Error(`Rule ${rule.name} cannot control executions of ${target.startsWorkflow}`);
          controlled.grantControl(fn);
        }
        if (target.schedulesWorkflow) {
          const scheduled = schedulable.get(target.startsWorkflow);
          if (!scheduled) throw new Error(`Rule ${rule.name} cannot schedule executions of ${target.startsWorkflow}`);
          scheduled.grantArming(fn);
        }
      }
      return new LambdaFunction(fn.function, delivery);
    }
    if ('logGroup' in target) return new CloudWatchLogGroup(eventLogs, { ...delivery, installLatestAwsSdk: false });
    let topic = topics.get(target.topic);
    if (!topic) {
      topic = new Topic(this, `Topic-${target.topic}`, { topicName: `itsm-${props.stage}-${target.topic}`, enforceSSL: true });
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason: 'Event notifications carry ticket numbers and states, no secrets; a KMS key here would also have to be granted to every subscriber.',
      });
      topics.set(target.topic, topic);
    }
    return new SnsTopic(topic, delivery);
  }

  /**
   * A function that schedules its own later invocations (webhook retries):
   * a schedule group, a role the scheduler assumes to invoke it, and the
   * right to create schedules in that group and pass that role.
   */
  private letScheduleItself(fn: ItsmFunction, functionName: string, stage: string, handler: string): void {
    const groupName = this.scheduleGroupName(stage);
    const arn = Stack.of(this).formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const schedulerRole = new Role(this, `${fn.node.id}SchedulerRole`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [arn] }));
    const failures = this.scheduleDeadLetters();
    failures.grantSendMessages(schedulerRole);
    fn.function.addEnvironment('SCHEDULER_DLQ_ARN', failures.queueArn);
    const schedules = Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/*` });
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [schedules] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [schedulerRole.roleArn] }));
    fn.function.addEnvironment('SCHEDULE_GROUP_NAME', groupName);
    fn.function.addEnvironment('SCHEDULER_ROLE_ARN', schedulerRole.roleArn);
    fn.function.addEnvironment('WEBHOOK_DISPATCHER_ARN', arn);
    fn.function.addEnvironment(functionArnVariable(handler), arn);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*]`,
      reason: "Retry schedules get unique names at run time; the grant is limited to schedules in this stage's own group.",
    });
  }

  /**
   * Tenant API keys: create, find (by name), delete keys, and move them in
   * and out of the stage's tier usage plans, and no other plan. Key ids are
   * made at run time, hence `/apikeys/*` and `/usageplans/<plan>/keys/*`.
   */
  private letManageUsageKeys(fn: ItsmFunction, planIds: Readonly<Record<TenantTier, string>>): void {
    fn.function.addEnvironment('USAGE_PLAN_IDS', Stack.of(this).toJsonString(planIds));
    const gatewayArn = (path: string) =>
      Stack.of(this).formatArn({ service: 'apigateway', account: '', resource: path, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const plans = TENANT_TIERS.map((tier) => planIds[tier]);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['apigateway:GET', 'apigateway:POST'], resources: [gatewayArn('/apikeys')] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [gatewayArn('/apikeys/*')] }));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['apigateway:POST'], resources: plans.map((plan) => gatewayArn(`/usageplans/${plan}/keys`)) }));
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['apigateway:DELETE'], resources: plans.map((plan) => gatewayArn(`/usageplans/${plan}/keys/*`)) }),
    );
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]',
      reason: "A tenant's API key id is made by API Gateway when the tenant is onboarded; the grant is DELETE on keys only.",
    });
    // cdk-nag names each plan's resource with the id as it resolves in this stack: a reference to the API stack's
    // output, known only once references are resolved, which is when construct validations run.
    fn.role.node.addValidation({
      validate: () => {
        for (const plan of plans) {
          const planId = JSON.stringify(Stack.of(this).resolve(plan));
          Validations.of(fn.role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/usageplans/${planId}/keys/*]`,
            reason: "Removing a tenant key (id made at run time) from one of the stage's own tier usage plans; no other plan.",
          });
        }
        return [];
      },
    });
  }

  /** The name of the one schedule group of the stage (`itsm-<stage>`), created on first use; a plain string, so grants and acknowledgments can spell it. */
  private scheduleGroupName(stage: string): string {
    const name = `itsm-${stage}`;
    if (!this.node.tryFindChild('ScheduleGroup')) new ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: name });
    return name;
  }

  /**
   * The one dead-letter queue of every schedule of the stage (created on
   * first use, with its alarm): an invocation EventBridge Scheduler gives
   * up on after its retries lands here instead of being dropped.
   */
  private scheduleDeadLetters(): Queue {
    const existing = this.node.tryFindChild('ScheduleFailures') as Queue | undefined;
    if (existing) return existing;
    const queue = this.deadLetterQueue('ScheduleFailures');
    this.alarm(
      'ScheduleDeadLetters',
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      0,
      'A scheduled invocation (webhook retry, continuity test, SLA escalation) failed after its retries: inspect the schedule dead-letter queue.',
    );
    return queue;
  }

  private deadLetterQueue(id: string): Queue {
    const queue = new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue.' });
    return queue;
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    this.alarms.push(
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }),
    );
  }
}
