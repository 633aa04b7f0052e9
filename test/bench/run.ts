/**
 * `npm run bench`: runs every benchmark of `test/bench/benchmarks.ts`, prints
 * the report, writes it to `docs/benchmarks.md` and the raw figures to
 * `dist/bench-results.json`. A benchmark that fails is reported as failed
 * and the run exits non-zero, after the others ran.
 * Flags: `--quick` (fewer samples, 5 k instead of 20 k incidents);
 * `--only <name>` runs that benchmark alone (its name in
 * `benchmarks.ts`, e.g. `npm run bench -- --only localStack --quick`):
 * its report goes to `dist/bench-<name>.md` (and `dist/bench-results-<name>.json`),
 * leaving `docs/benchmarks.md`, the whole run's report, as it is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../infra/local/local-stack.js';
import { BENCHMARKS } from './benchmarks.js';
import { type BenchSection, currentMachine, failedSection, renderReport } from './report.js';

const quick = process.argv.includes('--quick');
const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag >= 0 ? process.argv[onlyFlag + 1] : undefined;
const selected = only === undefined ? BENCHMARKS : BENCHMARKS.filter((benchmark) => benchmark.name === only);
if (selected.length === 0) {
  console.error(`No benchmark named ${only}: one of ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}`);
  process.exit(2);
}
const at = new Date();
// Read before the benchmarks load the machine themselves.
const machine = currentMachine();
const sections: BenchSection[] = [];
const raw: Record<string, unknown> = {};
let stack: LocalStack | undefined;

try {
  for (const benchmark of selected) {
    // 20 k bulk-loaded incidents would each start an escalation execution: not what these figures measure.
    if (benchmark.needsStack && !stack) stack = await startLocalStack({ disabledRules: ['ArmSlaEscalation'] });
    try {
      const result = await benchmark.run({ quick, stack });
      for (const section of result.sections) console.log(`\n## ${section.title}\n\n${section.markdown}`);
      sections.push(...result.sections);
      raw[benchmark.name] = result.raw;
    } catch (error) {
      // One failed benchmark (e.g. a timeout on a loaded machine) should not cost the others their figures.
      console.error(error);
      sections.push(failedSection(benchmark.name, error));
      process.exitCode = 1;
    }
  }
} finally {
  await stack?.stop();
}

const report = renderReport(sections, { at, machine, quick });
const reportFile = only === undefined ? join(REPO_ROOT, 'docs', 'benchmarks.md') : join(REPO_ROOT, 'dist', `bench-${only}.md`);
mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
writeFileSync(reportFile, report);
writeFileSync(
  join(REPO_ROOT, 'dist', only === undefined ? 'bench-results.json' : `bench-results-${only}.json`),
  JSON.stringify({ at: at.toISOString(), ...raw }, null, 2),
);
console.log(`\nReport written to ${reportFile}`);
