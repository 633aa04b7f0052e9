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

/** The JSON body; an empty body reads as `{}`. */
export async function readJson<T = Record<string, unknown>>(request: IncomingMessage): Promise<T> {
  return JSON.parse((await readBody(request)) || '{}') as T;
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(JSON.stringify(body));
}
