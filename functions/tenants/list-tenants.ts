/** `GET /tenants` (operator). @module */
import { listTenants } from '#shared/data/tenants/tenant-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { tenantRoutes as routes } from '#shared/http/tenants/routes.js';

export const handler = httpHandler(routes.listTenants, async ({ query }) => ({ statusCode: 200, body: await listTenants(query.limit, query.cursor) }));
