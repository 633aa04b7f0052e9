/**
 * The OpenAPI 3.1 document, generated from the route table's zod schemas so
 * it cannot disagree with what the handlers accept.
 * @module
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { EVENT_CATALOGUE } from '#shared/events/catalogue.js';
import type { RouteSpec } from './route.js';

const Problem = z
  .object({
    type: z.string().meta({ example: 'urn:itsm:problem:validation-error' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Validation errors, one per field' }),
    allowedActions: z.array(z.string()).optional().meta({ description: 'On an illegal transition: what the status allows' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const PROBLEM_TITLES: Record<number, string> = {
  400: 'Malformed request: field errors listed',
  401: 'No valid token',
  403: 'The role does not allow this',
  404: 'Not found in your tenant',
  409: 'Conflicts with the current state',
  412: 'If-Match is stale',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Breaks a business rule, or Idempotency-Key reused with another request',
  429: 'Throttled; see Retry-After',
};

/** Builds the document for `routes`; `serverUrl` is where the API is reachable. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], serverUrl: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of routes) {
    const headers = [
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              schema: { type: 'string' as const, maxLength: 128 },
              description: 'Retries with the same key and body get the same response',
              in: 'header' as const,
            },
          ]
        : []),
      ...(route.conditional
        ? [{ name: 'If-Match', schema: { type: 'string' as const }, description: 'The ETag you read; 412 if it is no longer current', in: 'header' as const }]
        : []),
    ];
    registry.registerPath({
      operationId: route.operationId,
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.roles === 'public' ? { security: [] } : { security: [{ [bearer.name]: [] }], 'x-roles': route.roles }),
      parameters: headers,
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.body
          ? { body: { content: { [route.bodyFormat === 'ndjson' ? 'application/x-ndjson' : 'application/json']: { schema: route.body } }, required: true } }
          : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema ? { content: { 'application/json': { schema: route.response.schema } } } : {}),
        },
        ...Object.fromEntries(
          route.problems.map((status) => [
            status,
            { description: PROBLEM_TITLES[status] ?? 'Problem', content: { 'application/problem+json': { schema: Problem } } },
          ]),
        ),
      },
    });
  }
  // Every event type as an OpenAPI webhook: what the bus and the webhook subscriptions deliver.
  for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      summary: entry.description,
      tags: ['Events'],
      description: `EventBridge \`source\` ${entry.source}, \`detail-type\` ${type}. Webhook deliveries carry this body, signed (Standard Webhooks).`,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                version: z.literal('0'),
                id: z.string(),
                'detail-type': z.literal(type),
                source: z.literal(entry.source),
                account: z.string(),
                time: z.string(),
                region: z.string(),
                resources: z.array(z.string()),
                detail: entry.schema,
              }),
            },
          },
        },
      },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery; anything else is retried' } },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ITSM API',
      version: '0.1.0',
      description: 'Multi-tenant IT service management. The tenant and roles come from the bearer token only.',
    },
    servers: [{ url: serverUrl }],
  });
}
