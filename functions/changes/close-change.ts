/** `POST /changes/{id}/close`: the post-implementation review. @module */
import { now } from '#shared/clock.js';
import { closeChange } from '#shared/domain/changes/change.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.closeChange, async ({ actor, params, body, ifMatch }) => {
  const change = await changeChange(actor, params.id, ifMatch, (current) => closeChange(current, { actor, now: now().toISOString() }, body.notes));
  return changeResult(change, actor);
});
