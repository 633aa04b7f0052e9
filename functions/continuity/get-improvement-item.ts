/** `GET /improvement-items/{id}`. @module */
import { getActionRecord } from '#shared/data/continuity/action-plan-repository.js';
import type { ImprovementItem } from '#shared/domain/continuity/action-plan.js';
import { NotFoundError } from '#shared/domain/errors.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getImprovementItem, async ({ actor, params }) => {
  const item = await getActionRecord<ImprovementItem>(actor.tenantId, 'improvement', params.id);
  if (!item) throw new NotFoundError(`Improvement item ${params.id} was not found.`);
  const { tenantId: _tenant, ...body } = item;
  return { statusCode: 200, body, version: item.version };
});
