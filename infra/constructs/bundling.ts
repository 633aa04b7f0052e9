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

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
 * - `external: ['@aws-sdk/*']`: the AWS SDK v3 is **not bundled**. The
 *   Lambda Node.js runtime ships it (and resolves it for ESM through
 *   `NODE_PATH` since nodejs18.x); bundling `client-dynamodb` +
 *   `lib-dynamodb` would add ~340 KB minified per function and break the
 *   150 KB-per-handler budget on its own. The cost is that the deployed SDK
 *   version is the runtime's, not the one pinned in `package.json`: the code
 *   uses only long-stable SDK APIs (commands, `middlewareStack.add`), and
 *   should that ever bite, drop the external and accept bigger bundles.
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
  external: ['@aws-sdk/*'],
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Absolute path of a handler's entry file: `incidents/create-incident` → `<repo>/functions/incidents/create-incident.ts`. */
export function bundleEntry(handler: string): string {
  return resolve(REPO_ROOT, 'functions', `${handler}.ts`);
}
