/**
 * Template tests for the events stack: bus, archive, outbox publisher with
 * its stream filter, dead letters and alarms, and one rule per rule spec.
 * Synthesized without bundling: only the wiring is under test here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_STREAM_FILTER } from '#shared/events/outbox-stream.js';
import { EVENT_RULES } from '#shared/events/rules.js';
import { buildApp } from '../../infra/itsm-app.js';

let events: Template;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  built = buildApp('test', { context: { 'aws:cdk:bundling-stacks': [] } });
  built.app.synth(); // runs cdk-nag: throws on an unacknowledged finding
  events = Template.fromStack(built.eventsStack);
});

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON, as in Template.findResources.
type Resource = { Properties: Record<string, any> };

/** A function of the events stack by a fragment of its logical id, and the statements of its role's policies. */
function functionOf(idPart: string): { id: string; fn: Resource; statements: Statement[] } {
  const [entry] = Object.entries(events.findResources('AWS::Lambda::Function')).filter(([id]) => id.includes(idPart));
  if (!entry) throw new Error(`No function ${idPart}`);
  const [id, fn] = entry as [string, Resource];
  const roleRef = JSON.stringify(fn.Properties.Role);
  const statements = Object.values(events.findResources('AWS::IAM::Policy'))
    .filter((policy) => roleRef.includes(policy.Properties.Roles[0].Ref))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  return { id, fn, statements };
}

describe('events stack', () => {
  it('has the itsm bus and an archive of all its events', () => {
    events.hasResourceProperties('AWS::Events::EventBus', { Name: 'itsm-test' });
    events.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365, SourceArn: Match.anyValue() });
  });

  it('feeds the outbox publisher from the table stream with the shared filter, per-record failures and a dead-letter queue', () => {
    events.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ParallelizationFactor: 1,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    events.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: Match.anyValue() }) },
    });
  });

  it('lets the publisher put events on its bus only', () => {
    const policies = Object.values(events.findResources('AWS::IAM::Policy'));
    const putEvents = policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement: { Action: unknown }) => statement.Action === 'events:PutEvents');
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0].Resource)).toContain('Bus');
  });

  it('creates one rule per spec on the itsm bus, each target with retries and a dead-letter queue', () => {
    const rules = Object.values(events.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(EVENT_RULES.length);
    for (const spec of EVENT_RULES) {
      events.hasResourceProperties('AWS::Events::Rule', {
        Description: spec.description,
        EventPattern: spec.pattern,
        EventBusName: Match.anyValue(),
        Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 }, DeadLetterConfig: { Arn: Match.anyValue() } })],
      });
    }
  });

  it("keeps tenants' API keys in the tier usage plans: the plan ids by environment, key and those plans' key rights only", () => {
    const { fn, statements } = functionOf('TenantUsageKeysTarget');
    const planIds = fn.Properties.Environment.Variables.USAGE_PLAN_IDS;
    const rendered = JSON.stringify(planIds);
    for (const tier of ['Trial', 'Standard', 'Premium']) expect(rendered).toContain(`UsagePlan${tier}`);
    const gateway = statements.filter((statement) => JSON.stringify(statement.Action).includes('apigateway:'));
    const grants = gateway.map((statement) => ({ actions: [statement.Action].flat().sort(), resource: JSON.stringify(statement.Resource) }));
    expect(grants.map((grant) => grant.actions)).toEqual([
      ['apigateway:GET', 'apigateway:POST'],
      ['apigateway:DELETE'],
      ['apigateway:POST'],
      ['apigateway:DELETE'],
    ]);
    expect(grants[0]?.resource).toMatch(/::\/apikeys"\]\]\}$/);
    expect(grants[1]?.resource).toMatch(/::\/apikeys\/\*"\]\]\}$/);
    // Each tier's plan, and nothing but its keys.
    for (const grant of grants.slice(2)) {
      expect((grant.resource.match(/\/usageplans\//g) ?? []).length).toBe(3);
      expect(grant.resource).not.toContain('/usageplans/*');
    }
    expect(grants[2]?.resource).toContain('/keys"');
    expect(grants[3]?.resource).toContain('/keys/*"');
    // Reads the tenant register, writes nothing.
    const dynamo = statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('dynamodb:'));
    expect(dynamo).not.toContain('dynamodb:PutItem');
    expect(dynamo).toContain('dynamodb:GetItem');
    expect(built.eventsStack.dependencies).toContain(built.apiStack);
  });

  it('holds the one-off free-text group migration: its own fixed-name function on no rule, with table rights only', () => {
    const { id, fn, statements } = functionOf('MigrateFreeTextGroups');
    expect(fn.Properties.FunctionName).toBe('itsm-test-migrate-free-text-groups');
    expect(fn.Properties.Timeout).toBe(300);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    const foreign = actions.filter((action) => !action.startsWith('dynamodb:') && !action.startsWith('xray:') && !action.startsWith('logs:'));
    expect(foreign).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
    expect(actions).not.toContain('dynamodb:Scan');
    const targets = JSON.stringify(Object.values(events.findResources('AWS::Events::Rule')).map((rule) => rule.Properties.Targets));
    expect(targets).not.toContain(id);
    expect(Object.keys(events.findResources('AWS::Lambda::Permission')).join()).not.toContain('MigrateFreeTextGroups');
  });

  it('lets the webhook dispatcher schedule its own retries in its own group, through a role that can only invoke it', () => {
    events.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'itsm-test' });
    events.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'itsm-test-WebhookFanOut',
      Environment: {
        Variables: Match.objectLike({ SCHEDULE_GROUP_NAME: 'itsm-test', SCHEDULER_ROLE_ARN: Match.anyValue(), WEBHOOK_DISPATCHER_ARN: Match.anyValue() }),
      },
    });
    const statements = Object.values(events.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const createSchedule = statements.filter((statement: { Action: unknown }) => statement.Action === 'scheduler:CreateSchedule');
    // One grant per self-scheduling rule target, each on the stage's group only.
    expect(createSchedule).toHaveLength(EVENT_RULES.filter((rule) => 'handler' in rule.target && rule.target.schedulesItself).length);
    for (const statement of createSchedule) expect(JSON.stringify(statement.Resource)).toContain(':schedule/itsm-test/*');
    const invoke = statements.filter((statement: { Action: unknown }) => statement.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke.map((statement: { Resource: unknown }) => statement.Resource))).toContain('function:itsm-test-WebhookFanOut');
  });

  it('deploys the escalation workflow from the same ASL file the local runner executes, traced and logged, invoking only its task', () => {
    const asl = JSON.parse(readFileSync(join(process.cwd(), 'statemachines', 'incident-escalation.asl.json'), 'utf8')) as { States: Record<string, unknown> };
    const [machine] = Object.values(events.findResources('AWS::StepFunctions::StateMachine'));
    expect(machine?.Properties).toMatchObject({
      StateMachineName: 'itsm-test-incident-escalation',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    // The definition is the file itself; CloudFormation substitutes the task's ARN at deploy time.
    expect(JSON.parse(machine?.Properties.DefinitionString)).toEqual(asl);
    expect(JSON.stringify(machine?.Properties.DefinitionSubstitutions.EvaluateSlaFunctionArn)).toContain('EvaluateSla');
    const statements = Object.values(events.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const invoke = statements.filter(
      (statement: { Action: unknown; Resource: unknown }) =>
        statement.Action === 'lambda:InvokeFunction' && JSON.stringify(statement.Resource).includes('EvaluateSla'),
    );
    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0].Resource)).not.toContain(':*');
    events.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' });
  });

  it('drives the escalation workflow from the bus and from one-off schedules: starters and the task may arm sla- schedules, pass the scheduler role, never write the table or stop executions', () => {
    const machines = events.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'itsm-test-incident-escalation' } });
    const [machineId] = Object.keys(machines);
    type Fn = { Properties: { Role: { 'Fn::GetAtt': [string] }; Environment: { Variables: Record<string, unknown> } } };
    type Statement = { Action: unknown; Resource: unknown };
    const statementsOf = (fn: Fn): Statement[] =>
      Object.values(events.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify((policy as { Properties: { Roles: unknown } }).Properties.Roles).includes(fn.Properties.Role['Fn::GetAtt'][0]))
        .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    const starters = Object.values(
      events.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ INCIDENT_ESCALATION_STATE_MACHINE_ARN: { Ref: machineId } }) } },
      }),
    ) as Fn[];
    // The arming on incident changes and the re-arming on policy changes: both read the incident to find its next wake-up.
    expect(starters).toHaveLength(2);
    for (const starter of starters) {
      expect('TABLE_NAME' in starter.Properties.Environment.Variables).toBe(true);
      expect(statementsOf(starter)).toContainEqual(expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: machineId } }));
    }
    const [evaluator] = Object.values(
      events.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ SCHEDULE_GROUP_NAME: 'itsm-test' }) } } }),
    ).filter((fn) => JSON.stringify(fn).includes('EvaluateSla')) as Fn[];
    expect(evaluator).toBeDefined();
    for (const fn of [...starters, evaluator as Fn]) {
      const statements = statementsOf(fn);
      const arming = statements.find((statement) => JSON.stringify(statement.Action).includes('scheduler:CreateSchedule'));
      expect(arming?.Action).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
      expect(JSON.stringify(arming?.Resource)).toContain(':schedule/itsm-test/sla-*');
      expect(JSON.stringify(statements.find((statement) => statement.Action === 'iam:PassRole')?.Resource)).toContain('SchedulerRole');
      expect(fn.Properties.Environment.Variables).toMatchObject({
        SCHEDULE_GROUP_NAME: 'itsm-test',
        SCHEDULER_ROLE_ARN: expect.anything(),
        SCHEDULER_DLQ_ARN: expect.anything(),
      });
      expect(statements.find((statement) => statement.Action === 'states:StopExecution')).toBeUndefined();
    }
    for (const starter of starters) expect(JSON.stringify(statementsOf(starter))).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|TransactWriteItems)/);
    // The role the scheduler assumes starts this machine (by name: no cycle through the task) and nothing else.
    const schedulerRoles = Object.entries(events.findResources('AWS::IAM::Role')).filter(
      ([id, role]) => id.startsWith('SlaEscalationSchedulerRole') && JSON.stringify(role).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles).toHaveLength(1);
    const roleStatements = Object.values(events.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify((policy as { Properties: { Roles: unknown } }).Properties.Roles).includes(schedulerRoles[0]?.[0] as string))
      .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    const start = roleStatements.find((statement) => statement.Action === 'states:StartExecution');
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:itsm-test-incident-escalation');
    events.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'itsm-test-escalations' });
  });

  it('encrypts and TLS-guards every queue and topic, and alarms on every dead-letter queue and on publisher lag', () => {
    const queues = Object.values(events.findResources('AWS::SQS::Queue'));
    // One per rule (its targets' failures), the outbox publisher's and the schedules'.
    expect(queues.length).toBe(EVENT_RULES.length + 2);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    events.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const alarms = Object.values(events.findResources('AWS::CloudWatch::Alarm'));
    // One per dead-letter queue, publisher errors and lag, one per workflow (failed executions) and one per target function (errors).
    const machines = Object.keys(events.findResources('AWS::StepFunctions::StateMachine'));
    const targetFunctions = EVENT_RULES.filter((rule) => 'handler' in rule.target).length;
    expect(alarms.length).toBe(queues.length + 2 + machines.length + targetFunctions);
    events.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 60000 });
  });

  it('holds the operations dashboard of the stage, with every dead-letter queue on it', () => {
    const [dashboard] = Object.values(events.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboard?.Properties.DashboardName).toBe('itsm-test-operations');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    expect(body).toContain('ApiName\\",\\"itsm-test');
    const queues = Object.keys(events.findResources('AWS::SQS::Queue'));
    for (const queue of queues) expect(body).toContain(queue);
    // The state of every alarm of the stack, on top.
    const alarms = Object.keys(events.findResources('AWS::CloudWatch::Alarm'));
    expect(body).toContain('Alarms (each notifies the alarm topic)');
    for (const alarm of alarms) expect(body).toContain(alarm);
  });
});
