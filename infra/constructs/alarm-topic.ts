/**
 * Where every alarm of a stage goes: the SNS topic `itsm-<stage>-alarms`,
 * encrypted with a key of its own, and the aspect that makes each
 * CloudWatch alarm of the app notify it.
 * @module
 */
import { Duration, type IAspect, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

/** The CDK context key naming an e-mail address to subscribe (`cdk deploy -c alarmEmail=ops@example.com`). */
export const ALARM_EMAIL_CONTEXT = 'alarmEmail';

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  readonly stage: string;
  /**
   * An address subscribed by e-mail (AWS sends it a confirmation link first).
   * @default - no subscription: subscribe a pager or chat integration to the topic
   */
  readonly email?: string;
}

/**
 * The topic `itsm-<stage>-alarms` and its customer-managed key. Not the
 * AWS-managed `alias/aws/sns` key: CloudWatch can only publish to an
 * encrypted topic whose key policy lets `cloudwatch.amazonaws.com` use the
 * key, and the managed key's policy cannot be changed. Retained, like the
 * rest of the stateful stack: confirmed subscriptions outlive a teardown of
 * the stateless stacks whose alarms publish here.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      alias: `alias/itsm-${props.stage}-alarms`,
      description: `Encrypts the ITSM ${props.stage} alarm topic`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch encrypts what it publishes with the topic's key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `itsm-${props.stage}-alarms`,
      displayName: `ITSM ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}

/**
 * Adds `topic` as the alarm action of every CloudWatch alarm it visits, so
 * an alarm added anywhere later notifies without being wired by hand
 * (`Aspects.of(app).add(new NotifyOnAlarm(topic))`).
 */
export class NotifyOnAlarm implements IAspect {
  private readonly notified = new WeakSet<Alarm>();

  constructor(private readonly topic: ITopic) {}

  visit(node: IConstruct): void {
    if (!(node instanceof Alarm) || this.notified.has(node)) return;
    this.notified.add(node);
    node.addAlarmAction(new SnsAction(this.topic));
  }
}
