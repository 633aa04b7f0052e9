/** `GET /problems`: oldest first (one Query on GSI1), or one status (GSI2). @module */
import { listProblems } from '#shared/data/problems/problem-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';

export const handler = httpHandler(routes.listProblems, async ({ actor, query }) => ({ statusCode: 200, body: await listProblems(actor.tenantId, query) }));
