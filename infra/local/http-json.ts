/**
 * Reading and answering plain HTTP requests in the local adapters.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A local endpoint's request that cannot be read: the local server answers it with a 400 problem. */
export class LocalBadRequestError extends Error {
  override readonly name = 'LocalBadRequestError';
}

/** The JSON object in the body; an empty body reads as `{}`. Anything else (not JSON, an array, a number) throws {@link LocalBadRequestError}. */
export async function readJson<T = Record<string, unknown>>(request: IncomingMessage): Promise<T> {
  let body: unknown;
  try {
    body = JSON.parse((await readBody(request)) || '{}');
  } catch {
    throw new LocalBadRequestError('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new LocalBadRequestError('The body must be a JSON object.');
  return body as T;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(JSON.stringify(body));
}
