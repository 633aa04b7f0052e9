/**
 * Routes of the platform documents. Handlers import their practice's routes
 * only, so a function loads the schemas it serves and no others.
 * @module
 */
import { defineRoute } from '#shared/http/route.js';

export const platformRoutes = {
  getEventCatalogue: defineRoute({
    operationId: 'getEventCatalogue',
    method: 'GET',
    path: '/events/catalogue',
    summary: 'Every event type: source, description, JSON Schema of its detail, a sample',
    tag: 'Platform',
    roles: 'public',
    response: { status: 200, description: 'The event catalogue' },
    problems: [],
    access: 'none',
    handler: 'platform/get-event-catalogue',
  }),
  getOpenApi: defineRoute({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'Platform',
    roles: 'public',
    response: { status: 200, description: 'The OpenAPI document' },
    problems: [],
    access: 'none',
    handler: 'platform/get-openapi',
  }),
} as const;
