/**
 * `npm run bench`: runs every benchmark of `test/bench/benchmarks.ts`, prints
 * the report, writes it to `docs/benchmarks.md` and the raw figures to
 * `dist/bench-results.json`. A benchmark that fails is reported as failed
 * and the run exits non-zero, after the others ran.
 * Flags: `--quick` (fewer samples, 5 k instead of 20 k incidents).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../infra/local/local-stack.js';
import { BENCHMARKS } from './benchmarks.js';
import { type BenchSection, currentMachine, failedSection, renderReport } from './report.js';

const quick = process.argv.includes('--quick');
const at = new Date();
// Read before the benchmarks load the machine themselves.
const machine = currentMachine();
const sections: BenchSection[] = [];
const raw: Record<string, unknown> = {};
let stack: LocalStack | undefined;

try {
  for (const benchmark of BENCHMARKS) {
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
mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), report);
mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'dist', 'bench-results.json'), JSON.stringify({ at: at.toISOString(), ...raw }, null, 2));
console.log('\nReport written to docs/benchmarks.md');
