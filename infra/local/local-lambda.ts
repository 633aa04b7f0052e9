/**
 * The local stand-in for the recovery functions continuity tests invoke
 * (`LAMBDA_ENDPOINT`, `shared/workflows/recovery-function.ts`): Lambda's
 * Invoke over its REST protocol, answered by forwarding the payload to the
 * URL registered for the function name. A developer or a test registers a
 * runbook with `PUT /local/lambda/functions/<name>` `{ "url": … }`; its
 * HTTP answer is the function's result (a non-2xx answer is a function error).
 * @module
 */
import { readBody, readJson, sendJson } from './http-json.js';
import type { LocalEndpoint, ServiceEndpoint } from './http-server.js';

const INVOKE = /^\/local\/lambda\/2015-03-31\/functions\/([^/]+)\/invocations/;
const REGISTER = /^\/local\/lambda\/functions\/([^/?]+)$/;

/** Lambda's Invoke for the product's client (`LAMBDA_ENDPOINT`), and the developer's registration of runbooks (a dev token). */
export function localLambdaEndpoints(): { service: ServiceEndpoint[]; local: LocalEndpoint[] } {
  const functions = new Map<string, string>();
  const service: ServiceEndpoint[] = [
    async (request, response) => {
      const match = INVOKE.exec(request.url ?? '');
      if (request.method !== 'POST' || !match?.[1]) return false;
      const name = decodeURIComponent(match[1]);
      const url = functions.get(name);
      const payload = await readBody(request);
      if (!url) {
        response.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        response.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return true;
      }
      try {
        const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload || 'null' });
        const body = await answer.text();
        response.writeHead(200, { 'content-type': 'application/json', ...(answer.ok ? {} : { 'x-amz-function-error': 'Unhandled' }) });
        response.end(answer.ok ? body : JSON.stringify({ errorType: `HTTP ${answer.status}`, errorMessage: body.slice(0, 1000) }));
      } catch (error) {
        response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        response.end(JSON.stringify({ errorType: 'Unreachable', errorMessage: (error as Error).message }));
      }
      return true;
    },
  ];
  const local: LocalEndpoint[] = [
    async (request, response) => {
      const match = REGISTER.exec(request.url ?? '');
      if (!match?.[1]) return false;
      const name = decodeURIComponent(match[1]);
      if (request.method === 'PUT') {
        const { url } = await readJson<{ url?: unknown }>(request);
        if (typeof url !== 'string' || !URL.canParse(url)) {
          sendJson(response, 400, { title: 'Send { "url": "http://…" }' }, 'application/problem+json');
          return true;
        }
        functions.set(name, url);
      } else if (request.method === 'DELETE') functions.delete(name);
      sendJson(response, 200, { name, url: functions.get(name) ?? null });
      return true;
    },
  ];
  return { service, local };
}
