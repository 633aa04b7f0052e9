/**
 * The esbuild options every Lambda bundle is built with, in one place:
 * {@link ItsmFunction} maps them onto `NodejsFunction` bundling, and the
 * bundle-size benchmark hands the same object to esbuild's JS API, so the
 * measured bundle is the deployed bundle.
 * @module
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

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
 * - `sourcemap: true` writes a linked `index.mjs.map` next to the bundle (not
 *   inline, so it does not count against load time); `NODE_OPTIONS=
 *   --enable-source-maps` maps stack traces back to TypeScript. No
 *   `sourcesContent`: traces need only positions, not the source text.
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
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Absolute path of a handler's entry file: `incidents/create-incident` → `<repo>/functions/incidents/create-incident.ts`. */
export function bundleEntry(handler: string): string {
  return resolve(REPO_ROOT, 'functions', `${handler}.ts`);
}
