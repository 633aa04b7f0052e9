/** `POST /changes/{id}/cancel`: before implementation; the advancer stops the workflow. @module */
import { now } from '#shared/clock.js';
import { cancelChange } from '#shared/domain/changes/change.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.cancelChange, async ({ actor, params, body, ifMatch }) => {
  const change = await changeChange(actor, params.id, ifMatch, (current) => cancelChange(current, { actor, now: now().toISOString() }, body.reason));
  return changeResult(change, actor);
});
