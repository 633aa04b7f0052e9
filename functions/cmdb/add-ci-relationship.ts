/** `POST /cis/{id}/relationships`: relate two CIs of the tenant. @module */
import { now } from '#shared/clock.js';
import { insertRelationship } from '#shared/data/cmdb/ci-repository.js';
import { canonicalRelationship, viewFrom } from '#shared/domain/cmdb/ci-relationship.js';
import { ConflictError, UnprocessableError } from '#shared/domain/errors.js';
import { findCi } from '#shared/http/cmdb/ci-access.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.addCiRelationship, async ({ actor, params, body }) => {
  if (body.targetId === params.id) throw new UnprocessableError('A CI cannot relate to itself.');
  const [ci, target] = await Promise.all([findCi(actor, params.id), findCi(actor, body.targetId)]);
  for (const end of [ci, target]) if (end.status === 'retired') throw new ConflictError(`CI ${end.id} is retired; it takes no new relationships.`);
  const relationship = canonicalRelationship(ci.id, body.type, target.id);
  await insertRelationship(actor, relationship, now().toISOString());
  return { statusCode: 201, body: viewFrom(ci.id, relationship) };
});
