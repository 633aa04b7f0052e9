/**
 * Bundle size and cold module init of every deployed function, built by the
 * same {@link bundleFunction} / {@link bundleRouter} the CDK construct deploys (code splitting:
 * a router's route modules are separate chunks).
 *
 * Init is measured pairwise against a baseline bundle that holds only
 * `DynamoDBClient` + `lib-dynamodb` (what any function of ours must load):
 * fresh node processes alternate baseline and function (A B A B …) in one
 * run, so machine load moves both alike and the ratio of medians is fair.
 * For a router, a second figure adds its first request's route module.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EVENT_RULES } from '#shared/events/rules.js';
import { type RouteSpec, routeFunctionsOf, routeKey } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { bundleFunction, bundleRouter, esbuildOptions } from '../../infra/constructs/bundling.js';
import { REPO_ROOT } from '../../infra/local/local-stack.js';

export interface BundleFigure {
  /** Entry under `functions/`. */
  handler: string;
  kind: 'router' | 'background';
  /** Size of `index.mjs` (what init loads). */
  bytes: number;
  /** Entry and every chunk. */
  totalBytes: number;
  initMs: number;
  baselineMs: number;
  /** initMs / baselineMs, from the same interleaved run. */
  initRatio: number;
  /** Router only: init plus its largest route module, as a cold first request loads it. */
  firstRequestRatio?: number;
}

const OUT = join(REPO_ROOT, 'dist', 'bench');
const ROUTER_FUNCTIONS = routeFunctionsOf(Object.values(routes) as RouteSpec[]);
const ROUTERS = [...ROUTER_FUNCTIONS.keys()];
const BACKGROUND = [
  ...new Set([
    'auth/authorizer',
    'events/publish-outbox',
    'alerts/ingest-cloudwatch-alarm',
    'changes/change-workflow-task',
    ...EVENT_RULES.flatMap((rule) => ('handler' in rule.target ? [rule.target.handler] : [])),
  ]),
];

const ENV = {
  ...process.env,
  TABLE_NAME: 'bench',
  AWS_REGION: 'us-east-1',
  JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  JWT_AUDIENCE: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Wall time of one fresh node process running `script`. */
function processTime(script: string): number {
  const started = performance.now();
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: ENV, cwd: OUT });
  return performance.now() - started;
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;

/** Interleaves `a` and `b` `runs` times each; returns both medians. */
function pairwise(a: string, b: string, runs: number): [number, number] {
  const [as, bs]: [number[], number[]] = [[], []];
  for (let run = 0; run < runs; run++) {
    as.push(processTime(a));
    bs.push(processTime(b));
  }
  return [median(as), median(bs)];
}

const importScript = (file: string) => `await import(${JSON.stringify(file)});`;

/** Imports a router, then the largest of its route modules (the slowest first request). */
function firstRequestScript(file: string, routeKey: string): string {
  return `const m = await import(${JSON.stringify(file)}); await m.routeModules[${JSON.stringify(routeKey)}]();`;
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.mjs'))
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

export async function measureBundles(runs = 9): Promise<BundleFigure[]> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const baselineEntry = join(OUT, 'baseline-entry.mjs');
  writeFileSync(
    baselineEntry,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async () => ({});\n",
  );
  const baselineDir = join(OUT, 'baseline');
  await build({
    ...esbuildOptions,
    entryPoints: { index: baselineEntry },
    outdir: baselineDir,
    nodePaths: [join(REPO_ROOT, 'node_modules')],
    logLevel: 'error',
  });
  const baseline = importScript(join(baselineDir, 'index.mjs'));

  const figures: BundleFigure[] = [];
  for (const [handler, kind] of [...ROUTERS.map((entry) => [entry, 'router'] as const), ...BACKGROUND.map((entry) => [entry, 'background'] as const)]) {
    const router = ROUTER_FUNCTIONS.get(handler);
    const dir = kind === 'router' && router ? bundleRouter(router) : bundleFunction(handler);
    const file = join(dir, 'index.mjs');
    const [baselineMs, initMs] = pairwise(baseline, importScript(file), runs);
    const figure: BundleFigure = { handler, kind, bytes: statSync(file).size, totalBytes: sizeOf(dir), initMs, baselineMs, initRatio: initMs / baselineMs };
    if (kind === 'router') {
      // From the route table, not by importing the router here: that would construct the data client in this process before the local stack configures it.
      const served = (router?.routes ?? []).map(routeKey);
      // The first and the last route of the router (their modules differ); the slower of the two is reported.
      const keys = [...new Set([served[0], served.at(-1)])].filter((key): key is string => key !== undefined);
      let worst = 0;
      for (const key of keys) {
        const [base, first] = pairwise(baseline, firstRequestScript(file, key), Math.max(3, Math.ceil(runs / 2)));
        worst = Math.max(worst, first / base);
      }
      figure.firstRequestRatio = worst;
    }
    figures.push(figure);
  }
  return figures;
}
