/**
 * Nothing fails silently: every EventBridge rule-target function has an
 * on-failure destination and an Errors alarm, every schedule a dead-letter
 * queue, every dead-letter queue an alarm, and every alarm notifies the
 * stage's encrypted topic `itsm-<stage>-alarms`. Synthesized without
 * bundling (only the wiring is under test), cdk-nag included.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RULES } from '#shared/events/rules.js';
import { buildApp, type ItsmApp } from '../../infra/itsm-app.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON, as in Template.findResources.
type Resource = { Type: string; Properties: Record<string, any> };

let built: ItsmApp;
let data: Template;
/** Every resource of the API stack (with its nested route stacks) and of the events stack, by logical id and stack. */
let stacks: { name: string; template: Template }[];

function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, …] }` points at. */
function idOf(value: unknown): string | undefined {
  const ref = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return ref?.Ref ?? ref?.['Fn::GetAtt']?.[0];
}

beforeAll(() => {
  built = buildApp('test', { context: { 'aws:cdk:bundling-stacks': [], alarmEmail: 'ops@example.com' } });
  built.app.synth(); // runs cdk-nag: throws on an unacknowledged finding
  data = Template.fromStack(built.dataStack);
  stacks = [
    { name: 'api', template: Template.fromStack(built.apiStack) },
    ...[...built.apiStack.routeStacks.values()].map((nested) => ({ name: nested.node.id, template: Template.fromStack(nested) })),
    { name: 'events', template: Template.fromStack(built.eventsStack) },
  ];
});

describe('the alarm topic', () => {
  it('is itsm-<stage>-alarms, encrypted with a rotated key CloudWatch may use, TLS-only, with the e-mail of the context subscribed', () => {
    const [[, topic]] = resourcesOf(data, 'AWS::SNS::Topic') as [[string, Resource]];
    expect(topic.Properties.TopicName).toBe('itsm-test-alarms');
    const keyId = idOf(topic.Properties.KmsMasterKeyId);
    const key = data.findResources('AWS::KMS::Key')[keyId as string] as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    data.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('has no subscription unless one is asked for', () => {
    const plain = buildApp('plain', { context: { 'aws:cdk:bundling-stacks': [] } });
    expect(Object.keys(Template.fromStack(plain.dataStack).findResources('AWS::SNS::Subscription'))).toHaveLength(0);
  });
});

describe('alarms', () => {
  it('every alarm of every stack notifies the alarm topic', () => {
    let count = 0;
    for (const { name, template } of stacks) {
      for (const [id, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
        count += 1;
        // The topic lives in the data stack: a weak cross-stack reference to its ARN.
        expect(JSON.stringify(alarm.Properties.AlarmActions ?? []), `${name}/${id}`).toMatch(/AlarmsTopic/);
        expect(alarm.Properties.AlarmActions, `${name}/${id}`).toHaveLength(1);
      }
    }
    // 3 publisher, 11 rule dead-letter queues, 3 workflows, 8 target functions, the schedule queue; alarm ingestion's 2.
    expect(count).toBeGreaterThanOrEqual(17 + 8 + 1 + 2);
  });

  it('every function that is an EventBridge rule target has an on-failure destination to an alarmed SQS queue, and an Errors alarm', () => {
    let targets = 0;
    for (const { name, template } of stacks) {
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
      const queues = template.findResources('AWS::SQS::Queue');
      const invokeConfigs = resourcesOf(template, 'AWS::Lambda::EventInvokeConfig').map(([, config]) => config.Properties);
      for (const [ruleId, rule] of resourcesOf(template, 'AWS::Events::Rule')) {
        for (const target of rule.Properties.Targets as { Arn: unknown }[]) {
          const functionId = idOf(target.Arn);
          if (!functionId || template.findResources('AWS::Lambda::Function')[functionId] === undefined) continue;
          targets += 1;
          const where = `${name}/${ruleId} → ${functionId}`;
          const config = invokeConfigs.find((candidate) => idOf(candidate.FunctionName) === functionId);
          expect(config, where).toMatchObject({ MaximumRetryAttempts: 2 });
          const queueId = idOf(config?.DestinationConfig?.OnFailure?.Destination);
          expect(queues[queueId as string]?.Properties.SqsManagedSseEnabled, where).toBe(true);
          expect(
            alarms.some((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible' && idOf(alarm.Dimensions?.[0]?.Value) === queueId),
            `${where}: its on-failure queue has an alarm`,
          ).toBe(true);
          expect(
            alarms.some((alarm) => alarm.MetricName === 'Errors' && alarm.Namespace === 'AWS/Lambda' && idOf(alarm.Dimensions?.[0]?.Value) === functionId),
            `${where}: an Errors alarm`,
          ).toBe(true);
        }
      }
    }
    // Every handler rule of the itsm bus, and the alarm ingestion on the default bus.
    expect(targets).toBe(EVENT_RULES.filter((rule) => 'handler' in rule.target).length + 1);
  });

  it('every schedule has a dead-letter queue: each role EventBridge Scheduler assumes may send to the alarmed schedule queue, and each scheduling function knows it', () => {
    const events = stacks.find((stack) => stack.name === 'events')?.template as Template;
    const [queueAlarm] = resourcesOf(events, 'AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith('ScheduleDeadLetters'));
    const queueId = idOf(queueAlarm?.[1].Properties.Dimensions[0].Value) as string;
    expect(events.findResources('AWS::SQS::Queue')[queueId]?.Properties.SqsManagedSseEnabled).toBe(true);
    const schedulerRoles = resourcesOf(events, 'AWS::IAM::Role').filter(([, role]) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles.length).toBeGreaterThan(0);
    const policies = resourcesOf(events, 'AWS::IAM::Policy').map(([, policy]) => policy.Properties);
    for (const [roleId] of schedulerRoles) {
      const statements = policies.filter((policy) => JSON.stringify(policy.Roles).includes(roleId)).flatMap((policy) => policy.PolicyDocument.Statement);
      expect(
        statements.some(
          (statement: { Action: unknown; Resource: unknown }) =>
            JSON.stringify(statement.Action).includes('sqs:SendMessage') && idOf(statement.Resource) === queueId,
        ),
        roleId,
      ).toBe(true);
    }
    const scheduling = policies.filter((policy) => JSON.stringify(policy.PolicyDocument).includes('scheduler:CreateSchedule'));
    expect(scheduling.length).toBeGreaterThan(0);
    for (const policy of scheduling) {
      for (const role of policy.Roles as unknown[]) {
        const functions = resourcesOf(events, 'AWS::Lambda::Function').filter(([, fn]) => idOf(fn.Properties.Role) === idOf(role));
        for (const [functionId, fn] of functions) expect(idOf(fn.Properties.Environment.Variables.SCHEDULER_DLQ_ARN), functionId).toBe(queueId);
      }
    }
  });
});
