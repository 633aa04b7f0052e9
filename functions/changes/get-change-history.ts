/** `GET /changes/{id}/history`: the audit trail, oldest first. @module */
import { listChangeHistory } from '#shared/data/changes/change-repository.js';
import { findChange } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChangeHistory, async ({ actor, params, query }) => {
  const change = await findChange(actor, params.id);
  return { statusCode: 200, body: await listChangeHistory(actor.tenantId, change.id, query.limit, query.cursor) };
});
