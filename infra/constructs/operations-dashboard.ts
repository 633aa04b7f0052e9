/**
 * The operations dashboard of one stage: the API as callers see it, each
 * route from our own EMF metrics, the functions, the table, the outbox and
 * the workflows, on one page.
 * @module
 */
import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, type IMetric, Metric, SearchExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, ROUTE_METRICS } from '#shared/observability/metric-names.js';

/** Props of {@link OperationsDashboard}. */
export interface OperationsDashboardProps {
  /** The stage the dashboard watches; part of its name and of the function search. */
  readonly stage: string;
  /** The REST API's name (the `ApiName` dimension of API Gateway metrics); a name, so no cross-stack reference. */
  readonly restApiName: string;
  /**
   * The API Gateway stage (the `Stage` dimension).
   * @default props.stage
   */
  readonly apiStageName?: string;
  /** The single table's name. */
  readonly tableName: string;
  /** The outbox publisher (table stream → bus): its iterator age is the event lag. */
  readonly outboxPublisher: IFunction;
  /** Dead-letter queues whose depth to show, by the label of their line (the outbox publisher's and each rule's). */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The workflows whose failed executions to show. */
  readonly stateMachines: readonly IStateMachine[];
  /**
   * Alarms whose state to show at the top (each also notifies the alarm topic).
   * @default - no alarm status widget
   */
  readonly alarms?: readonly IAlarm[];
  /**
   * Words every function name of the stage contains, for a SEARCH over the
   * Lambda metrics (so functions added later appear without a change here).
   * @default `Itsm ${stage}` (CDK-generated names start with the stack name `Itsm-<stage>-…`; explicit ones with `itsm-<stage>-`)
   */
  readonly functionSearchTerm?: string;
  /**
   * Namespace of our EMF metrics.
   * @default 'Itsm'
   */
  readonly metricsNamespace?: string;
  /**
   * Period of every graph.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/**
 * A CloudWatch dashboard `itsm-<stage>-operations`. Per-route and per-function
 * graphs are SEARCH expressions over a dimension (`route`, `FunctionName`), so
 * a new route or function shows up without a code change; a SEARCH shows at
 * most 500 series, far above our route count.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const seconds = period.toSeconds();
    const namespace = props.metricsNamespace ?? METRICS_NAMESPACE;
    const functions = props.functionSearchTerm ?? `Itsm ${props.stage}`;
    // An empty label keeps each series' own name (the route, the function) in the legend.
    const search = (expression: string): IMetric => new SearchExpression({ expression, label: '', period });
    const api = (metricName: string, statistic: string, label: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.restApiName, Stage: props.apiStageName ?? props.stage },
        statistic,
        period,
        label,
      });
    const table = (metricName: string, label: string) =>
      new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: props.tableName }, statistic: 'Sum', period, label });
    const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `itsm-${props.stage}-operations`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ITSM ${props.stage}\nOne tenant's request: CloudWatch Logs Insights on the function log groups, \`filter tenantId = "…" and correlationId = "…"\` (see docs/observability.md).`,
        width: 24,
        height: 2,
      }),
    );
    if (props.alarms && props.alarms.length > 0) {
      this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms (each notifies the alarm topic)', alarms: [...props.alarms], width: 24, height: 3 }));
    }
    this.dashboard.addWidgets(
      graph('API: requests and errors', [api('Count', 'Sum', 'requests'), api('4XXError', 'Sum', '4xx'), api('5XXError', 'Sum', '5xx')]),
      graph('API: latency (ms)', [api('Latency', 'p50', 'p50'), api('Latency', 'p99', 'p99'), api('IntegrationLatency', 'p99', 'integration p99')]),
      graph('Business events (committed)', [search(`SEARCH('{${namespace},service}', 'Sum', ${seconds})`)]),
    );
    this.dashboard.addWidgets(
      graph('Routes: latency p99 (ms)', [search(`SEARCH('{${namespace},service,route} MetricName="${ROUTE_METRICS.latency}"', 'p99', ${seconds})`)]),
      graph('Routes: 5xx', [search(`SEARCH('{${namespace},service,route} MetricName="${ROUTE_METRICS.serverErrors}"', 'Sum', ${seconds})`)]),
      graph('Routes: 4xx', [search(`SEARCH('{${namespace},service,route} MetricName="${ROUTE_METRICS.clientErrors}"', 'Sum', ${seconds})`)]),
    );
    const lambda = (metricName: string, statistic: string) =>
      search(`SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" ${functions}', '${statistic}', ${seconds})`);
    this.dashboard.addWidgets(
      graph('Functions: errors', [lambda('Errors', 'Sum')]),
      graph('Functions: throttles', [lambda('Throttles', 'Sum')]),
      graph('Functions: duration p99 (ms)', [lambda('Duration', 'p99')]),
    );
    this.dashboard.addWidgets(
      graph('Table: consumed capacity', [table('ConsumedReadCapacityUnits', 'read units'), table('ConsumedWriteCapacityUnits', 'write units')]),
      graph('Table: throttled events', [table('ReadThrottleEvents', 'read'), table('WriteThrottleEvents', 'write')]),
      graph('Outbox: publisher lag (ms)', [props.outboxPublisher.metric('IteratorAge', { statistic: 'Maximum', period, label: 'iterator age' })]),
    );
    this.dashboard.addWidgets(
      graph(
        'Dead-letter queues: depth',
        Object.entries(props.deadLetterQueues).map(([label, queue]) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label })),
        12,
      ),
      graph(
        'Workflows: failed executions',
        props.stateMachines.map((machine) => machine.metricFailed({ statistic: 'Sum', period })),
        12,
      ),
    );
  }
}
