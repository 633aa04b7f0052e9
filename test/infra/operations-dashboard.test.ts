/**
 * Template tests for the operations dashboard on a small stack of its own
 * (an inline function, two queues, one state machine): fast, and only the
 * dashboard's wiring is under test.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { OperationsDashboard } from '../../infra/constructs/operations-dashboard.js';

let template: Template;
/** The dashboard body with its tokens resolved to their CloudFormation form, as one string. */
let body: string;
interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][] };
}
let widgets: Widget[];

beforeAll(() => {
  const stack = new Stack(new App(), 'DashboardTest');
  const publisher = new LambdaFunction(stack, 'Publisher', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler=async()=>{}'),
  });
  const workflow = new StateMachine(stack, 'Workflow', { definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'Done')) });
  new OperationsDashboard(stack, 'Ops', {
    stage: 'test',
    restApiName: 'itsm-test',
    tableName: 'itsm-test-table',
    outboxPublisher: publisher,
    deadLetterQueues: { 'outbox publisher': new Queue(stack, 'PublisherDlq'), IncidentCreatedToWebhooks: new Queue(stack, 'RuleDlq') },
    stateMachines: [workflow],
  });
  template = Template.fromStack(stack);
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  // The body is an Fn::Join of literal parts and references; the literal parts carry the JSON.
  const parts = (dashboard?.Properties.DashboardBody['Fn::Join'][1] ?? []) as unknown[];
  // References sit inside JSON strings; a placeholder keeps the JSON valid.
  body = parts.map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  widgets = (JSON.parse(body) as { widgets: Widget[] }).widgets;
});

const widget = (title: string) => widgets.find((candidate) => candidate.properties.title === title);
const expressions = (title: string) =>
  (widget(title)?.properties.metrics ?? []).map((line) => (line.at(-1) as { expression?: string }).expression).filter(Boolean);

describe('operations dashboard', () => {
  it('is one dashboard named after the stage', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'itsm-test-operations' });
  });

  it('shows the REST API’s requests, 4xx, 5xx and latency p50/p99 by API name and stage', () => {
    const requests = JSON.stringify(widget('API: requests and errors')?.properties.metrics);
    for (const name of ['Count', '4XXError', '5XXError']) expect(requests).toContain(`["AWS/ApiGateway","${name}","ApiName","itsm-test","Stage","test"`);
    const latency = widget('API: latency (ms)')?.properties.metrics ?? [];
    expect(latency.map((line) => (line.at(-1) as { stat: string }).stat)).toEqual(expect.arrayContaining(['p50', 'p99']));
  });

  it('graphs every route from the EMF namespace with a SEARCH over the route dimension', () => {
    expect(expressions('Routes: latency p99 (ms)')).toEqual([`SEARCH('{Itsm,service,route} MetricName="Latency"', 'p99', 300)`]);
    expect(expressions('Routes: 5xx')).toEqual([`SEARCH('{Itsm,service,route} MetricName="ServerErrors"', 'Sum', 300)`]);
    expect(expressions('Routes: 4xx')).toEqual([`SEARCH('{Itsm,service,route} MetricName="ClientErrors"', 'Sum', 300)`]);
    // Business counts have the service dimension only: no tenant, no route.
    expect(expressions('Business events (committed)')).toEqual([`SEARCH('{Itsm,service}', 'Sum', 300)`]);
    expect(body).not.toMatch(/tenant,|,tenant/i);
  });

  it('graphs the stage’s functions: errors, throttles, duration', () => {
    expect(expressions('Functions: errors')).toEqual([`SEARCH('{AWS/Lambda,FunctionName} MetricName="Errors" Itsm test', 'Sum', 300)`]);
    expect(expressions('Functions: throttles')[0]).toContain('MetricName="Throttles"');
    expect(expressions('Functions: duration p99 (ms)')[0]).toContain(`'p99'`);
  });

  it('graphs the table’s consumed capacity and throttles', () => {
    const table = JSON.stringify([widget('Table: consumed capacity'), widget('Table: throttled events')]);
    for (const name of ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits', 'ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(table).toContain(`["AWS/DynamoDB","${name}","TableName","itsm-test-table"`);
    }
  });

  it('graphs the outbox publisher’s iterator age, each dead-letter queue’s depth and the failed workflow executions', () => {
    expect(JSON.stringify(widget('Outbox: publisher lag (ms)')?.properties.metrics)).toContain('"IteratorAge"');
    const queues = widget('Dead-letter queues: depth')?.properties.metrics ?? [];
    expect(queues).toHaveLength(2);
    expect(queues.map((line) => (line.at(-1) as { label: string }).label)).toEqual(['outbox publisher', 'IncidentCreatedToWebhooks']);
    expect(JSON.stringify(widget('Workflows: failed executions')?.properties.metrics)).toContain('"AWS/States","ExecutionsFailed"');
  });
});
