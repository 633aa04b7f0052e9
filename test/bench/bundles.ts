/**
 * Bundle size and cold module init of every handler, built with the exact
 * esbuild options the CDK function construct deploys.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EVENT_RULES } from '#shared/events/rules.js';
import { routes } from '#shared/http/routes.js';
import { bundleEntry, esbuildOptions } from '../../infra/constructs/bundling.js';
import { REPO_ROOT } from '../../infra/local/local-stack.js';

export interface BundleFigure {
  handler: string;
  /** How the AWS SDK was treated: as deployed (bundled), or external for comparison. */
  sdk: 'bundled' | 'external';
  bytes: number;
  initMs: number;
  initRatio: number;
}

const OUT = join(REPO_ROOT, 'dist', 'bench');
/** Every deployed function: the authorizer, the event-driven ones, every route and every rule's function target. */
const HANDLERS = [
  ...new Set([
    'auth/authorizer',
    'events/publish-outbox',
    'alerts/ingest-cloudwatch-alarm',
    'changes/change-workflow-task',
    ...EVENT_RULES.flatMap((rule) => ('handler' in rule.target ? [rule.target.handler] : [])),
    ...Object.values(routes).map((route) => route.handler),
  ]),
];

/** Median wall time of `runs` fresh node processes importing `file`. */
function importTime(file: string, runs: number): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    AWS_REGION: 'us-east-1',
    JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
    JWT_AUDIENCE: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, cwd: OUT });
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

export async function measureBundles(runs = 9): Promise<BundleFigure[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const empty = join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => ({});\n');
  const figures: BundleFigure[] = [];
  const baseline = importTime(empty, runs);
  const variants = [
    ...HANDLERS.map((handler) => ({ handler, sdk: 'bundled' as const })),
    // The road not taken, for the record: the same handler with the SDK left to the runtime.
    { handler: 'incidents/get-incident', sdk: 'external' as const },
  ];
  for (const { handler, sdk } of variants) {
    const outdir = join(OUT, `${handler.replace('/', '__')}${sdk === 'external' ? '--sdk-external' : ''}`);
    await build({
      ...esbuildOptions,
      ...(sdk === 'external' ? { external: ['@aws-sdk/*'] } : {}),
      entryPoints: { index: bundleEntry(handler) },
      outdir,
      logLevel: 'error',
    });
    const file = join(outdir, 'index.mjs');
    const initMs = importTime(file, runs);
    figures.push({ handler, sdk, bytes: statSync(file).size, initMs, initRatio: initMs / baseline });
  }
  return figures;
}
