/** `GET /improvement-items/{id}`. @module */
import { getActionRecord } from '../../shared/data/action-plan-repository.js';
import type { ImprovementItem } from '../../shared/domain/action-plan.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { continuityRoutes as routes } from './continuity-routes.js';

export const handler = httpHandler(routes.getImprovementItem, async ({ actor, params }) => {
  const item = await getActionRecord<ImprovementItem>(actor.tenantId, 'improvement', params.id);
  if (!item) throw new NotFoundError(`Improvement item ${params.id} was not found.`);
  const { tenantId: _tenant, ...body } = item;
  return { statusCode: 200, body, version: item.version };
});
