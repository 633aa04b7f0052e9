import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createRouter } from '#shared/http/router.js';

const event = (method: string, resource: string) => ({ httpMethod: method, resource, path: resource.replace('{id}', '42') }) as APIGatewayProxyEvent;
const context = {} as Context;

describe('createRouter', () => {
  it('dispatches on method and resource template, importing a module once', async () => {
    const get = vi.fn(async () => ({ statusCode: 200, body: 'get' }));
    const post = vi.fn(async () => ({ statusCode: 201, body: 'post' }));
    const loadGet = vi.fn(async () => ({ handler: get }));
    const router = createRouter({ 'GET /things/{id}': loadGet, 'POST /things': async () => ({ handler: post }) });
    expect((await router(event('GET', '/things/{id}'), context)).body).toBe('get');
    expect((await router(event('GET', '/things/{id}'), context)).body).toBe('get');
    expect((await router(event('POST', '/things'), context)).statusCode).toBe(201);
    expect(loadGet).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('answers 404 problem+json for an operation it does not serve, without loading anything', async () => {
    const load = vi.fn(async () => ({ handler: async () => ({ statusCode: 200, body: '' }) }));
    const router = createRouter({ 'GET /things': load });
    for (const [method, resource] of [
      ['POST', '/things'],
      ['GET', '/other'],
      ['GET', 'constructor'],
      ['GET', '__proto__'],
    ] as const) {
      const result = await router(event(method, resource), context);
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('application/problem+json');
    }
    expect(load).not.toHaveBeenCalled();
  });

  it('retries an import that failed instead of caching the failure', async () => {
    let attempts = 0;
    const router = createRouter({
      'GET /things': async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('chunk missing');
        return { handler: async () => ({ statusCode: 200, body: 'ok' }) };
      },
    });
    await expect(router(event('GET', '/things'), context)).rejects.toThrow('chunk missing');
    expect((await router(event('GET', '/things'), context)).body).toBe('ok');
  });
});
