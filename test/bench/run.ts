/**
 * `npm run bench`: prints the performance figures the README records.
 * Flags: `--quick` (fewer samples, 5 k instead of 20 k incidents).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startLocalStack } from '../../infra/local/local-stack.js';
import { measureBundles } from './bundles.js';
import { measureCmdb } from './cmdb.js';
import { measureContinuityTransitions } from './continuity.js';
import { measureOperationCosts } from './dynamodb-cost.js';
import { measureLatency } from './latency.js';
import { measureWorkflowTransitions } from './workflows.js';

const quick = process.argv.includes('--quick');
const fixed = (value: number, digits = 1) => value.toFixed(digits);

const bundles = await measureBundles(quick ? 3 : 9);
console.log('\n## Bundles (minified ESM) and cold module init (median of fresh node processes)\n');
console.log('| handler | AWS SDK | size (KB) | init (ms) | × empty module |');
console.log('|---|---|---:|---:|---:|');
for (const figure of bundles)
  console.log(`| ${figure.handler} | ${figure.sdk} | ${fixed(figure.bytes / 1024)} | ${fixed(figure.initMs)} | ${fixed(figure.initRatio, 2)} |`);

// 20 k bulk-loaded incidents would each start an escalation execution: not what these figures measure.
const stack = await startLocalStack({ disabledRules: ['ArmSlaEscalation'] });
try {
  const costs = await measureOperationCosts(stack);
  console.log('\n## DynamoDB cost per API operation (DynamoDB Local, ReturnConsumedCapacity)\n');
  console.log('| operation | HTTP | calls | by operation | RCU | WCU total | of which indexes |');
  console.log('|---|---:|---:|---|---:|---:|---:|');
  for (const cost of costs) {
    const by = Object.entries(cost.operations)
      .map(([name, count]) => `${name}×${count}`)
      .join(', ');
    console.log(
      `| ${cost.operation} | ${cost.status} | ${cost.calls} | ${by} | ${fixed(cost.readCapacityUnits)} | ${fixed(cost.writeCapacityUnits)} | ${fixed(cost.indexWriteCapacityUnits)} |`,
    );
  }
  const scans = costs.reduce((sum, cost) => sum + (cost.operations.Scan ?? 0), 0);
  console.log(`\nScans in request paths: ${scans}`);

  const latency = await measureLatency(stack, quick ? [1_000, 5_000] : [1_000, 20_000], quick ? 150 : 400);
  console.log('\n## Latency through the local server (ms; median of 3 rounds of each percentile)\n');
  console.log('| incidents in tenant | get p50 | get p99 | list p50 | list p99 |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const figure of latency)
    console.log(`| ${figure.incidents} | ${fixed(figure.getP50)} | ${fixed(figure.getP99)} | ${fixed(figure.listP50)} | ${fixed(figure.listP99)} |`);
  const [small, large] = [latency[0], latency.at(-1)];
  if (small && large)
    console.log(
      `\np99 ratio ${large.incidents}/${small.incidents}: get ${fixed(large.getP99 / small.getP99, 2)}, list ${fixed(large.listP99 / small.listP99, 2)}`,
    );

  const workflows = await measureWorkflowTransitions();
  console.log('\n## SLA escalation workflow: state transitions per incident (Standard, $0.025 per 1,000)\n');
  console.log('| path | executions | evaluations | transitions | Step Functions per 1 M incidents |');
  console.log('|---|---:|---:|---:|---:|');
  for (const figure of workflows)
    console.log(`| ${figure.path} | ${figure.executions} | ${figure.evaluations} | ${figure.transitions} | $${figure.usdPerMillion.toFixed(0)} |`);

  const continuity = await measureContinuityTransitions();
  console.log('\n## Continuity test workflow: state transitions per test (Standard, $0.025 per 1,000)\n');
  console.log('| path | steps | retries | transitions | outcome | Step Functions per 1 M tests |');
  console.log('|---|---:|---:|---:|---|---:|');
  for (const figure of continuity)
    console.log(`| ${figure.path} | ${figure.steps} | ${figure.retries} | ${figure.transitions} | ${figure.outcome} | $${figure.usdPerMillion.toFixed(0)} |`);

  const cmdb = await measureCmdb(stack, quick ? 0.2 : 1);
  console.log(`\n## CMDB bulk import: ${cmdb.cis} CIs and ${cmdb.relationships} relationships through POST /cis/import\n`);
  console.log('| request | lines | s | created | added | invalid | calls | by operation | RCU | WCU |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|');
  for (const figure of cmdb.imports) {
    const by = Object.entries(figure.operations)
      .map(([name, count]) => `${name}×${count}`)
      .join(', ');
    console.log(
      `| ${figure.part} | ${figure.lines} | ${fixed(figure.seconds)} | ${figure.counts.created} | ${figure.counts.added} | ${figure.counts.invalid} | ${figure.calls} | ${by} | ${fixed(figure.readCapacityUnits)} | ${fixed(figure.writeCapacityUnits)} |`,
    );
  }
  console.log(`\nBad lines reported: ${cmdb.badLines}; written: ${cmdb.badLinesWritten}`);
  console.log('\n## CMDB impact analysis over that graph\n');
  console.log('| query | impacted | business services | rounds | calls | by operation | RCU | ms |');
  console.log('|---|---:|---:|---:|---:|---|---:|---:|');
  for (const figure of cmdb.impacts) {
    const by = Object.entries(figure.operations)
      .map(([name, count]) => `${name}×${count}`)
      .join(', ');
    console.log(
      `| ${figure.query} | ${figure.impacted} | ${figure.businessServices} | ${figure.rounds} | ${figure.calls} | ${by} | ${fixed(figure.readCapacityUnits)} | ${fixed(figure.ms, 0)} |`,
    );
  }

  // Imported only now: it loads the data layer, whose client takes its endpoint from the environment the stack set.
  const { measureChangeTransitions } = await import('./change-transitions.js');
  const transitions = await measureChangeTransitions();
  console.log('\n## Change approval workflow: state transitions per change (Standard, $0.025 per 1,000)\n');
  console.log('| path | transitions | events | per 1 M changes |');
  console.log('|---|---:|---:|---:|');
  for (const figure of transitions) console.log(`| ${figure.path} | ${figure.transitions} | ${figure.events} | $${fixed(figure.usdPerMillionChanges, 0)} |`);

  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  writeFileSync(
    join(REPO_ROOT, 'dist', 'bench-results.json'),
    JSON.stringify({ at: new Date().toISOString(), bundles, costs, latency, workflows, continuity, cmdb, changeTransitions: transitions }, null, 2),
  );
} finally {
  await stack.stop();
}
