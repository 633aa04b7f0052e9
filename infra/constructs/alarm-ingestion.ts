import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ItsmFunction } from './itsm-function.js';

/** The default-bus events the ingestion receives: every alarm state change in the account and region. */
export const CLOUDWATCH_ALARM_EVENT_PATTERN = { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'] };

/** Retries and age limit, for EventBridge's delivery and for Lambda's own asynchronous retries alike. */
export const ALARM_DELIVERY = { retryAttempts: 4, maxEventAge: Duration.hours(1), functionRetryAttempts: 2 } as const;

/** Props of {@link AlarmIngestion}. */
export interface AlarmIngestionProps {
  /** The single table the ingestion writes incidents and alert records to. */
  readonly table: ITableV2;
}

/**
 * CloudWatch alarms open and resolve incidents: a rule on the account's
 * **default** event bus (where AWS services publish) sends every alarm
 * state change to `functions/alerts/ingest-cloudwatch-alarm`, which reads
 * the alarm's `itsm:*` tags and goes through the same ingestion as
 * `POST /alerts`.
 *
 * Failures are not lost: events EventBridge cannot deliver (throttling,
 * permissions) and invocations that still fail after Lambda's asynchronous
 * retries both land in one encrypted dead-letter queue, and an alarm fires
 * as soon as it holds a message.
 */
export class AlarmIngestion extends Construct {
  readonly handler: ItsmFunction;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  /** Any failed invocation, before its retries: the dead-letter alarm only fires once they are spent. */
  readonly errorAlarm: Alarm;

  constructor(scope: Construct, id: string, props: AlarmIngestionProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to find the cause and redrive by hand.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the alarm-ingestion rule target and function; a DLQ of a DLQ would only move the problem.',
    });

    this.handler = new ItsmFunction(this, 'Function', {
      handler: 'alerts/ingest-cloudwatch-alarm',
      table: props.table,
      access: 'write',
      serviceName: 'itsm-alarm-ingestion',
    });
    // Tags name the tenant; alarm names are the account's business, so any alarm of this account and region.
    const alarmArns = Stack.of(this).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.handler.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['cloudwatch:ListTagsForResource'], resources: [alarmArns] }));
    Validations.of(this.handler.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*]',
      reason:
        'cloudwatch:ListTagsForResource (read-only) on the alarms of this account and region: which alarm changes state is only known at run time, and its tags say which tenant it belongs to.',
    });
    this.handler.function.configureAsyncInvoke({
      retryAttempts: ALARM_DELIVERY.functionRetryAttempts,
      maxEventAge: ALARM_DELIVERY.maxEventAge,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.rule = new Rule(this, 'Rule', {
      description: 'CloudWatch alarm state changes (default bus) → alert ingestion; alarms tagged itsm:tenant open and resolve incidents',
      eventPattern: CLOUDWATCH_ALARM_EVENT_PATTERN,
      targets: [
        new LambdaFunction(this.handler.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: ALARM_DELIVERY.retryAttempts,
          maxEventAge: ALARM_DELIVERY.maxEventAge,
        }),
      ],
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'A CloudWatch alarm event could not be turned into an incident: inspect the alarm-ingestion dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm = new Alarm(this, 'ErrorAlarm', {
      alarmDescription: 'The CloudWatch alarm ingestion fails; after two retries its events go to the alarm-ingestion dead-letter queue.',
      metric: this.handler.function.metricErrors({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
