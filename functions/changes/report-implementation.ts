/** `POST /changes/{id}/implementation`: success → review; failed → the workflow rolls back. @module */
import { now } from '#shared/clock.js';
import { reportImplementation } from '#shared/domain/changes/change.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.reportImplementation, async ({ actor, params, body, ifMatch }) => {
  const change = await changeChange(actor, params.id, ifMatch, (current) => reportImplementation(current, { actor, now: now().toISOString() }, body));
  return changeResult(change, actor);
});
