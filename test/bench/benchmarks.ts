/**
 * Every benchmark of `npm run bench`, in the order they run and appear in
 * `docs/benchmarks.md`. To add a section, add a module that exports a
 * {@link Benchmark} and list it here.
 */
import type { CapacityReading } from '#shared/data/capacity-meter.js';
import { measureArchitecture } from './architecture.js';
import { measureBundles } from './bundles.js';
import { measureCmdb } from './cmdb.js';
import { measureContinuityTransitions } from './continuity.js';
import { measureOperationCosts } from './dynamodb-cost.js';
import { measureLatency } from './latency.js';
import { measureLocalStack } from './local-stack.js';
import { type BenchContext, type Benchmark, markdownTable } from './report.js';
import { measureTenantDeletion } from './tenant-deletion.js';
import { measureTenantThrottling } from './tenant-throttling.js';
import { measureWorkflowTransitions } from './workflows.js';

const fixed = (value: number, digits = 1) => value.toFixed(digits);
type RequestCost = CapacityReading & { operation: string; status: number };
const byOperation = (reading: CapacityReading) =>
  Object.entries(reading.operations)
    .map(([name, count]) => `${name}×${count}`)
    .join(', ');

/** The stack a benchmark declared it needs; the runner starts it before the first such benchmark. */
function stackOf(context: BenchContext) {
  if (!context.stack) throw new Error('this benchmark needs the local stack (needsStack: true)');
  return context.stack;
}

const bundles: Benchmark = {
  name: 'bundles',
  async run({ quick }) {
    const figures = await measureBundles(quick ? 5 : 11);
    const table = markdownTable(
      ['function', 'kind', 'index.mjs (KB)', 'with chunks (KB)', 'init (ms)', 'baseline (ms)', 'init ÷ baseline', 'init + first route ÷ baseline'],
      figures.map((figure) => [
        figure.handler,
        figure.kind,
        fixed(figure.bytes / 1024),
        fixed(figure.totalBytes / 1024),
        fixed(figure.initMs),
        fixed(figure.baselineMs),
        fixed(figure.initRatio, 2),
        figure.firstRequestRatio === undefined ? '' : fixed(figure.firstRequestRatio, 2),
      ]),
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    );
    const routers = figures.filter((figure) => figure.kind === 'router');
    const ratios = routers.map((figure) => figure.initRatio).sort((a, b) => a - b);
    const worst = ratios.at(-1) ?? 0;
    const middle = ratios[Math.floor(ratios.length / 2)] ?? 0;
    const target = `Router init ÷ baseline: median **${fixed(middle, 2)}**, worst **${fixed(worst, 2)}** (target ≤ 1.15). Baseline: a bundle of \`DynamoDBClient\` + \`lib-dynamodb\` only; each pair measured A B A B in fresh node processes in one run (medians).`;
    return {
      raw: figures,
      sections: [{ title: 'Cold init of each deployed function, pairwise against the SDK-only baseline', markdown: `${target}\n\n${table}` }],
    };
  },
};

const architecture: Benchmark = {
  name: 'architecture',
  async run() {
    const figures = measureArchitecture();
    const table = markdownTable(
      ['figure', 'value', 'target'],
      [
        ['Lambda functions in the app', figures.lambdaFunctions, '≤ 60'],
        ['of which route (router) functions', figures.routerFunctions, ''],
        ['routes in the route table', figures.routes, ''],
        ['CloudFormation resources of the API stack', figures.apiStackResources, '≤ 250'],
        ['practices', figures.practices, ''],
        ['API stack resources per practice (nested stack + invoke permissions)', fixed(figures.resourcesPerPractice, 1), '≤ 6'],
        [`API stack resources projected at ${figures.projection.practices} practices`, figures.projection.apiStackResources, '≤ 500'],
        ['API Gateway resources (path segments) used', figures.gatewayResources, `quota ${figures.gatewayResourceQuota}`],
        ['routes per API Gateway resource today', fixed(figures.routesPerGatewayResource, 2), ''],
        ['routes that fit under the quota at that ratio', figures.routeHeadroom, ''],
      ],
      ['left', 'right', 'right'],
    );
    return { raw: figures, sections: [{ title: 'Architecture figures (synthesized templates, bundling skipped)', markdown: table }] };
  },
};

const operationCosts: Benchmark = {
  name: 'costs',
  needsStack: true,
  async run(context) {
    const costs = await measureOperationCosts(stackOf(context));
    const table = markdownTable(
      ['operation', 'HTTP', 'calls', 'by operation', 'RCU', 'WCU total', 'of which indexes'],
      costs.map((cost) => [
        cost.operation,
        cost.status,
        cost.calls,
        byOperation(cost),
        fixed(cost.readCapacityUnits),
        fixed(cost.writeCapacityUnits),
        fixed(cost.indexWriteCapacityUnits),
      ]),
      ['left', 'right', 'right', 'left', 'right', 'right', 'right'],
    );
    const scans = costs.reduce((sum, cost) => sum + (cost.operations.Scan ?? 0), 0);
    return {
      raw: costs,
      sections: [
        {
          title: 'DynamoDB cost per API operation (DynamoDB Local, ReturnConsumedCapacity)',
          markdown: `${table}\n\nScans in request paths: ${scans}`,
        },
      ],
    };
  },
};

const latency: Benchmark = {
  name: 'latency',
  needsStack: true,
  async run(context) {
    const { quick } = context;
    const figures = await measureLatency(stackOf(context), quick ? [1_000, 5_000] : [1_000, 20_000], quick ? 150 : 400);
    const table = markdownTable(
      ['incidents in tenant', 'get p50', 'get p99', 'list p50', 'list p99'],
      figures.map((figure) => [figure.incidents, fixed(figure.getP50), fixed(figure.getP99), fixed(figure.listP50), fixed(figure.listP99)]),
      ['right', 'right', 'right', 'right', 'right'],
    );
    const [small, large] = [figures[0], figures.at(-1)];
    const ratio =
      small && large
        ? `\n\np99 ratio ${large.incidents}/${small.incidents}: get ${fixed(large.getP99 / small.getP99, 2)}, list ${fixed(large.listP99 / small.listP99, 2)}`
        : '';
    return {
      raw: figures,
      sections: [{ title: 'Latency through the local server (ms; median of 3 rounds of each percentile)', markdown: `${table}${ratio}` }],
    };
  },
};

const slaWorkflow: Benchmark = {
  name: 'workflows',
  async run() {
    const { figures, mixUsdPerMillion } = await measureWorkflowTransitions();
    const table = markdownTable(
      [
        'path',
        'mix',
        'armings',
        'firings',
        'executions',
        'transitions',
        'schedules created / deleted / listed',
        'Step Functions + Scheduler per 1 M incidents',
      ],
      figures.map((figure) => [
        figure.path,
        `${(figure.share * 100).toFixed(0)} %`,
        figure.arms,
        figure.firings,
        figure.executions,
        figure.transitions,
        `${figure.created} / ${figure.deleted} / ${figure.listed}`,
        `$${figure.usdPerMillion.toFixed(2)}`,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    );
    const summary = `Typical mix (70 % resolved early, 20 % one warning, 10 % breached with escalations): **$${mixUsdPerMillion.toFixed(2)} per million incidents** for SLA and escalation (target ≤ $40). Prices: Standard transitions $25 per million, Scheduler invocations (firings) $1 per million; schedule create/delete/list API calls counted, not billed per call; Lambda invocations not included.`;
    return {
      raw: { figures, mixUsdPerMillion },
      sections: [{ title: 'SLA watch: one-off schedules and escalation workflow runs per incident', markdown: `${summary}\n\n${table}` }],
    };
  },
};

const continuityWorkflow: Benchmark = {
  name: 'continuity',
  async run() {
    const figures = await measureContinuityTransitions();
    const table = markdownTable(
      ['path', 'steps', 'retries', 'transitions', 'outcome', 'Step Functions per 1 M tests'],
      figures.map((figure) => [figure.path, figure.steps, figure.retries, figure.transitions, figure.outcome, `$${figure.usdPerMillion.toFixed(0)}`]),
      ['left', 'right', 'right', 'right', 'left', 'right'],
    );
    return { raw: figures, sections: [{ title: 'Continuity test workflow: state transitions per test (Standard, $0.025 per 1,000)', markdown: table }] };
  },
};

const cmdb: Benchmark = {
  name: 'cmdb',
  needsStack: true,
  async run(context) {
    const figures = await measureCmdb(stackOf(context), context.quick ? 0.2 : 1);
    const imports = markdownTable(
      ['request', 'lines', 's', 'created', 'added', 'invalid', 'calls', 'by operation', 'RCU', 'WCU'],
      figures.imports.map((figure) => [
        figure.part,
        figure.lines,
        fixed(figure.seconds),
        figure.counts.created ?? 0,
        figure.counts.added ?? 0,
        figure.counts.invalid ?? 0,
        figure.calls,
        byOperation(figure),
        fixed(figure.readCapacityUnits),
        fixed(figure.writeCapacityUnits),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
    );
    const impacts = markdownTable(
      ['query', 'impacted', 'business services', 'rounds', 'calls', 'by operation', 'RCU', 'ms'],
      figures.impacts.map((figure) => [
        figure.query,
        figure.impacted,
        figure.businessServices,
        figure.rounds,
        figure.calls,
        byOperation(figure),
        fixed(figure.readCapacityUnits),
        fixed(figure.ms, 0),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
    );
    return {
      raw: figures,
      sections: [
        {
          title: `CMDB bulk import: ${figures.cis} CIs and ${figures.relationships} relationships through POST /cis/import`,
          markdown: `${imports}\n\nBad lines reported: ${figures.badLines}; written: ${figures.badLinesWritten}`,
        },
        { title: 'CMDB impact analysis over that graph', markdown: impacts },
      ],
    };
  },
};

const changeWorkflow: Benchmark = {
  name: 'changeTransitions',
  needsStack: true,
  async run() {
    // Imported only now: it loads the data layer, whose client takes its endpoint from the environment the stack set.
    const { measureChangeTransitions } = await import('./change-transitions.js');
    const figures = await measureChangeTransitions();
    const table = markdownTable(
      ['path', 'transitions', 'events', 'per 1 M changes'],
      figures.map((figure) => [figure.path, figure.transitions, figure.events, `$${fixed(figure.usdPerMillionChanges, 0)}`]),
      ['left', 'right', 'right', 'right'],
    );
    return { raw: figures, sections: [{ title: 'Change approval workflow: state transitions per change (Standard, $0.025 per 1,000)', markdown: table }] };
  },
};

const requestFulfilment: Benchmark = {
  name: 'requests',
  needsStack: true,
  async run(context) {
    // Imported only now, as the change workflow's: the stack sets the data layer's endpoint first.
    const { measureRequests } = await import('./requests.js');
    const { operations, paths } = await measureRequests(stackOf(context));
    const byName = new Map<string, RequestCost>();
    for (const cost of operations) byName.set(cost.operation, cost);
    const ops = markdownTable(
      ['operation', 'HTTP', 'calls', 'by operation', 'RCU', 'WCU'],
      [...byName.values()].map((cost) => [
        cost.operation,
        cost.status,
        cost.calls,
        byOperation(cost),
        fixed(cost.readCapacityUnits),
        fixed(cost.writeCapacityUnits),
      ]),
      ['left', 'right', 'right', 'left', 'right', 'right'],
    );
    const table = markdownTable(
      ['path', 'API calls', 'status transitions', 'workflow transitions', 'events', 'schedules', 'DynamoDB calls', 'RCU', 'WCU', 'per 1 M requests'],
      paths.map((row) => [
        row.path,
        row.apiCalls,
        row.transitions,
        row.workflowTransitions,
        row.events,
        row.schedules,
        row.dynamoDbCalls,
        fixed(row.readUnits),
        fixed(row.writeUnits),
        `$${fixed(row.usdPerMillionRequests, 0)}`,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    );
    return {
      raw: { operations, paths },
      sections: [
        { title: 'Service requests: DynamoDB calls per operation (targets: submit ≤ 3, read ≤ 1, task queue 1 Query)', markdown: ops },
        {
          title: 'Service requests: per request path, with cost per million requests at list prices',
          markdown: `DynamoDB on-demand ($0.625 per million WRU, $0.125 per million RRU), EventBridge ($1 per million events), Scheduler ($1 per million invocations: the target watch) and Step Functions Standard ($0.025 per 1,000 transitions: the service-request workflow, start to end, callback included); Lambda time left out. Each path ends with the confirmation and the callback; DynamoDB work includes the advancer's, the workflow task function's and the target watch's.\n\n${table}`,
        },
      ],
    };
  },
};

/** The benchmarks, in report order. */
const localStack: Benchmark = {
  name: 'localStack',
  async run({ quick }) {
    const figures = await measureLocalStack(quick);
    const starts = markdownTable(
      ['start', 'first served request (ms)', 'ready, demo data seeded (ms)', 'phases (as printed)'],
      figures.starts.map((start, index) => [
        index === 0 ? 'first' : 'again (a machine that has run it once)',
        start.firstRequestMs,
        start.readyMs,
        start.phases,
      ]),
      ['left', 'right', 'right', 'left'],
    );
    const throughput = markdownTable(
      ['operation', 'concurrency', 'requests', 'per second', 'p50 (ms)', 'p99 (ms)'],
      figures.throughput.map((row) => [row.operation, row.concurrency, row.requests, fixed(row.perSecond), fixed(row.p50Ms), fixed(row.p99Ms)]),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    );
    return {
      raw: figures,
      sections: [
        {
          title: 'Local stack: time to ready and HTTP throughput (npm start, in memory, every bus rule on)',
          markdown: `Targets: first served request ≤ 4 s on a machine that has run it once; ≥ 80 creates/s at concurrency 8. Each create arms its SLA escalation schedule (every bus rule on, as under \`npm start\`).\n\n${starts}\n\n${throughput}`,
        },
      ],
    };
  },
};

const tenantThrottling: Benchmark = {
  name: 'tenantThrottling',
  needsStack: true,
  async run(context) {
    const figures = await measureTenantThrottling(stackOf(context), context.quick ? 5 : 10, context.quick ? 3 : 5);
    const table = markdownTable(
      ['phase', 'calm requests', 'calm errors', 'calm p50 (ms)', 'calm p99 (ms)', 'flood admitted', 'flood throttled (429)', 'server CPU (ms/s)'],
      figures.phases.map((phase) => [
        phase.phase,
        phase.requests,
        phase.errors,
        fixed(phase.p50Ms),
        fixed(phase.p99Ms),
        phase.floodAdmitted,
        phase.floodThrottled,
        fixed(phase.serverCpuMsPerSecond),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    );
    const verdict = `Calm tenant at ${figures.calmRatePerSecond} requests/s; the flooder at ${figures.floodRatePerSecond}/s, 10 × its trial-tier limit of ${figures.floodLimitPerSecond}/s. Median p99 over the rounds: solo ${fixed(figures.soloP99Ms)} ms, contended ${fixed(figures.contendedP99Ms)} ms: **${(figures.p99Change * 100).toFixed(1)} %**, error rate **${(figures.errorRateChange * 100).toFixed(2)} points** (target: within 10 %). Server process CPU (median): solo ${fixed(figures.soloCpuMsPerSecond)} ms/s, contended ${fixed(figures.contendedCpuMsPerSecond)} ms/s: ${fixed(figures.cpuMsPerFloodRequest, 2)} ms per flood request, admitted ones included. The flood is sent from one long-lived, warmed child process; phases alternate in order round by round.`;
    return {
      raw: figures,
      sections: [{ title: 'Noisy neighbour: one tenant flooding at 10× its rate limit (local stack, one run)', markdown: `${verdict}\n\n${table}` }],
    };
  },
};

const tenantDeletion: Benchmark = {
  name: 'tenantDeletion',
  needsStack: true,
  async run(context) {
    const figure = await measureTenantDeletion(stackOf(context), context.quick ? 10_000 : 100_000);
    const table = markdownTable(
      [
        'items',
        'partitions',
        'worker batches',
        'seconds',
        'items/s',
        'calls',
        'by operation',
        'WCU (of which indexes)',
        'RCU',
        'WCU per item',
        'left (registry count)',
        'left (Scan)',
      ],
      [
        [
          figure.items,
          figure.partitions,
          figure.batches,
          fixed(figure.deleteSeconds),
          fixed(figure.itemsDeleted / figure.deleteSeconds, 0),
          figure.calls,
          byOperation(figure),
          `${fixed(figure.writeCapacityUnits)} (${fixed(figure.indexWriteCapacityUnits)})`,
          fixed(figure.readCapacityUnits),
          fixed(figure.writeCapacityUnits / figure.items, 2),
          figure.itemsLeftByRegistry,
          figure.itemsLeftByScan,
        ],
      ],
      ['right', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right'],
    );
    return {
      raw: figure,
      sections: [
        {
          title: `Tenant deletion: ${figure.items} items through the partition registry (DynamoDB Local)`,
          markdown: `${table}

Loaded in ${fixed(figure.loadSeconds)} s (setup, not measured). Each worker batch also saves its progress on the tenant record (one transaction of three items), not counted here.`,
        },
      ],
    };
  },
};

const knowledge: Benchmark = {
  name: 'knowledge',
  needsStack: true,
  async run(context) {
    // Imported only now: it loads the data layer, whose client takes its endpoint from the environment the stack set.
    const { measureKnowledge } = await import('./knowledge.js');
    const figures = await measureKnowledge(stackOf(context), context.quick);
    const search = markdownTable(
      ['articles in tenant', 'query', 'samples', 'p50 (ms)', 'p99 (ms)', 'calls / search', 'RCU / search'],
      figures.search.map((figure) => [
        figure.articles,
        figure.query,
        figure.samples,
        fixed(figure.p50Ms),
        fixed(figure.p99Ms),
        fixed(figure.callsPerSearch),
        fixed(figure.rcuPerSearch, 2),
      ]),
      ['right', 'left', 'right', 'right', 'right', 'right', 'right'],
    );
    const ratios = markdownTable(
      ['query', 'p50 large ÷ 1 k', 'p99 large ÷ 1 k'],
      figures.ratios.map((entry) => [entry.query, `${fixed(entry.p50, 2)}×`, `${fixed(entry.p99, 2)}×`]),
      ['left', 'right', 'right'],
    );
    const loads = markdownTable(
      ['tenant', 'articles', 'postings (publish would write)', 'postings written', 'seconds', 'items/s', 'calls', 'by operation', 'WCU'],
      figures.loads.map((load) => [
        load.tenant,
        load.articles,
        load.postings,
        load.postingsWritten,
        fixed(load.seconds),
        fixed((load.postingsWritten + load.articles) / load.seconds, 0),
        load.calls,
        byOperation(load),
        fixed(load.writeCapacityUnits, 0),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right'],
    );
    const quality = markdownTable(
      ['articles in tenant', 'query', 'matching articles', 'exact top 10 found', 'score of top 10 ÷ exact'],
      figures.quality.map((entry) => [entry.articles, entry.query, entry.matching, `${entry.overlapAt10} / 10`, fixed(entry.scoreRatio, 3)]),
      ['right', 'left', 'right', 'right', 'right'],
    );
    const costs = markdownTable(
      ['operation', 'calls', 'by operation', 'RCU', 'WCU'],
      figures.costs.map((figure) => [
        figure.what,
        fixed(figure.calls, 1),
        Object.entries(figure.operations)
          .map(([name, count]) => `${name}×${fixed(count, 1)}`)
          .join(', '),
        fixed(figure.readCapacityUnits, 1),
        fixed(figure.writeCapacityUnits, 1),
      ]),
      ['left', 'right', 'left', 'right', 'right'],
    );
    const large = figures.loads[1]?.articles ?? 0;
    const check = `Bulk path = publish path: ${figures.check.articles} sampled articles of the large tenant were indexed again by the real indexer in a third tenant; all ${figures.check.itemsCompared} items (heads and postings) are identical to the bulk-written ones. (Term statistics items are not compared: their counts are each tenant's own.)`;
    return {
      raw: figures,
      sections: [
        {
          title: `Knowledge search: 1 k and ${large} articles per tenant (one table, interleaved A B A B)`,
          markdown: `Large ÷ small (target ≤ 1.5):\n\n${ratios}\n\n${search}`,
        },
        {
          title: 'Knowledge search: ranking against exhaustive BM25 (every posting, exact document frequencies)',
          markdown: quality,
        },
        { title: 'Knowledge index: bulk load, and write costs per published article', markdown: `${loads}\n\n${check}\n\n${costs}` },
      ],
    };
  },
};

export const BENCHMARKS: readonly Benchmark[] = [
  architecture,
  bundles,
  operationCosts,
  latency,
  slaWorkflow,
  continuityWorkflow,
  cmdb,
  changeWorkflow,
  requestFulfilment,
  tenantThrottling,
  knowledge,
  localStack,
  tenantDeletion,
];
