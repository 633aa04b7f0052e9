/**
 * The esbuild options every Lambda bundle is built with, in one place:
 * {@link ItsmFunction} maps them onto `NodejsFunction` bundling, and the
 * bundle-size benchmark hands the same object to esbuild's JS API, so the
 * measured bundle is the deployed bundle.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync } from 'esbuild';
import { type RouteFunctionSpec, routeKey } from '../../shared/http/route.js';

/** The repository root (infra/constructs → ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * ESM bundles still contain CommonJS dependencies that call `require` for
 * Node built-ins; ESM has no `require`, so the banner defines one.
 */
export const REQUIRE_SHIM = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * esbuild options shared by every handler (entry points and output location
 * aside).
 *
 * - `format: 'esm'`, `.mjs`: top-level await and the ESM-first packages we
 *   use (zod, aws-jwt-verify) load without interop shims.
 * - `target: 'node22'`: the functions run on `nodejs24.x` (cdk-nag L1 wants
 *   the newest runtime); Node 22 syntax runs there unchanged and keeps the
 *   bundle valid should a function have to fall back to `nodejs22.x`.
 * - `splitting: true`: a router's route modules are `import()`ed on first
 *   use, and esbuild puts each in a chunk of its own, so a cold start loads
 *   only the router, the SDK client and the middleware.
 * - `sourcemap: true` writes a linked `.map` next to each file (not inline,
 *   so it does not count against load time). Functions run without
 *   `--enable-source-maps`, which costs about a third of module load time
 *   (measured by `npm run bench`); map a stack trace offline with the `.map`
 *   files of the deployed asset when needed. No `sourcesContent`: positions
 *   suffice.
 * - The AWS SDK v3 **is bundled** (nothing is external). Measured with
 *   `npm run bench`: a fresh process imports the get-incident bundle with
 *   the SDK inside in about 2.0× the time of an empty module, against about
 *   2.8× when the SDK is left external and loaded from `node_modules` as the
 *   Lambda runtime would (hundreds of CommonJS files to resolve). It also
 *   means the SDK that runs in AWS is the version pinned in
 *   `package-lock.json`, the same one the local runtime and tests use. The
 *   price is size: ~485 KB minified instead of ~150 KB, about 120 KB zipped,
 *   which costs nothing measurable to download at cold start.
 */
export const esbuildOptions = {
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM },
  // Explicitly empty: NodejsFunction would otherwise leave `@aws-sdk/*` out by default.
  external: [] as string[],
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Absolute path of a handler's entry file: `incidents/create-incident` → `<repo>/functions/incidents/create-incident.ts`. */
export function bundleEntry(handler: string): string {
  return resolve(REPO_ROOT, 'functions', `${handler}.ts`);
}

let bundleRoot: string | undefined;
const bundled = new Map<string, string>();

/** A folder of this process's own, removed when the process exits. */
function processFolder(): string {
  if (!bundleRoot) {
    const root = mkdtempSync(join(tmpdir(), 'itsm-bundles-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    bundleRoot = root;
  }
  return bundleRoot;
}

/** An empty code folder for synths that skip bundling. */
export function unbundledAsset(): string {
  const folder = join(processFolder(), 'unbundled');
  mkdirSync(folder, { recursive: true });
  return folder;
}

/**
 * Builds a function's bundle (entry `index.mjs` plus its chunks) with
 * {@link esbuildOptions} and returns the folder, to be deployed as the
 * function's code asset. One build per entry per process; the folder lives
 * in a temporary directory removed when the process exits, so concurrent
 * synths (parallel test workers) never share one.
 */
export function bundleFunction(handler: string): string {
  return buildOnce(handler, () => bundleEntry(handler), handler.replaceAll('/', '__'));
}

/** One esbuild build per `key` per process, of the entry `entry()` names, into `<process folder>/<folder>`. */
function buildOnce(key: string, entry: () => string, folder: string): string {
  const done = bundled.get(key);
  if (done) return done;
  const outdir = join(processFolder(), folder);
  buildSync({ ...esbuildOptions, entryPoints: { index: entry() }, outdir });
  bundled.set(key, outdir);
  return outdir;
}

/**
 * The source of a router function's entry, generated from the route table:
 * `createRouter` over one `import()` per route the function serves, each a
 * string literal so esbuild gives every route module a chunk of its own.
 * Generated rather than written by hand, so the route table stays the one
 * list of which function serves which route. A function with table access
 * loads the data client at init (the SDK is what every request needs);
 * `routeModules` is exported for the benchmark's first-request figure.
 */
export function routerEntrySource(fn: RouteFunctionSpec): string {
  const file = (module: string) => JSON.stringify(resolve(REPO_ROOT, module));
  const modules = fn.routes.map((route) => `  ${JSON.stringify(routeKey(route))}: () => import(${file(`functions/${route.handler}.ts`)}),`);
  return [
    `// ${fn.name}: generated from the route table by infra/constructs/bundling.ts.`,
    ...(fn.access === 'none' ? [] : [`import ${file('shared/data/client.ts')};`]),
    `import { createRouter } from ${file('shared/http/router.ts')};`,
    `export const routeModules = {\n${modules.join('\n')}\n};`,
    'export const handler = createRouter(routeModules);',
    '',
  ].join('\n');
}

/**
 * Builds a router function's bundle from {@link routerEntrySource}: the
 * generated entry is written to this process's folder and bundled like any
 * handler. One build per function per process.
 */
export function bundleRouter(fn: RouteFunctionSpec): string {
  return buildOnce(
    `router:${fn.entry}`,
    () => {
      const entries = join(processFolder(), 'router-entries');
      mkdirSync(entries, { recursive: true });
      const entry = join(entries, `${fn.name}.ts`);
      writeFileSync(entry, routerEntrySource(fn));
      return entry;
    },
    fn.name,
  );
}
