/**
 * A router function's bundle, built from the route table exactly as the
 * CDK construct deploys it, runs in a fresh Node process: init loads the
 * entry alone, and a request loads its route's chunk and answers.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RouteSpec, routeFunctionsOf } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { bundleRouter } from '../../infra/constructs/bundling.js';

const functions = routeFunctionsOf(Object.values(routes) as RouteSpec[]);

/** Runs `script` as an ES module in a fresh process and parses what it prints. */
function runFresh(script: string): unknown {
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }));
}

describe('a bundled router function', () => {
  const fn = functions.get('platform/read');
  if (!fn) throw new Error('platform/read');
  const dir = bundleRouter(fn);
  const index = JSON.stringify(join(dir, 'index.mjs'));

  it('splits every route module into a chunk of its own', () => {
    const chunks = readdirSync(join(dir, 'chunks')).filter((name) => name.endsWith('.mjs'));
    expect(chunks.length).toBeGreaterThanOrEqual(fn.routes.length);
  });

  it('serves the route table’s routes and answers a request through the route’s chunk', () => {
    const result = runFresh(`
      const m = await import(${index});
      const answer = await m.handler({ httpMethod: 'GET', resource: '/openapi.json', path: '/openapi.json', headers: {}, queryStringParameters: null, pathParameters: null, body: null, requestContext: { requestId: 'r1' } }, { functionName: 'platform-read', getRemainingTimeInMillis: () => 10000 });
      console.log(JSON.stringify({ keys: Object.keys(m.routeModules).sort(), status: answer.statusCode, openapi: JSON.parse(answer.body).openapi }));
    `);
    expect(result).toEqual({ keys: fn.routes.map((route) => `${route.method} ${route.path}`).sort(), status: 200, openapi: expect.stringMatching(/^3\./) });
  });
});
