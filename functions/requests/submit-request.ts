/**
 * `POST /requests`: raise a request against an item's published version.
 * Three DynamoDB calls: the item (its published version inside), the
 * number, and the one transaction (request, audit, event, first tasks'
 * queue entries). The answers are checked before the number is taken, so a
 * bad form writes nothing at all.
 * @module
 */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { insertRequest } from '#shared/data/requests/request-repository.js';
import { requestableVersion } from '#shared/domain/requests/catalogue-item.js';
import { validateAnswers } from '#shared/domain/requests/request-form.js';
import { FormAnswersError, submitRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { findCatalogueItem, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.submitRequest, async ({ actor, body, idempotency, path }) => {
  const item = await findCatalogueItem(actor, body.itemId);
  const version = requestableVersion(item, actor);
  const errors = validateAnswers(version.definition.form, body.answers);
  if (errors.length > 0) throw new FormAnswersError(errors);
  const number = await allocateNumber(actor.tenantId, 'REQ');
  const mutation = submitRequest(item, version, { answers: body.answers }, { id: ulid(), number }, { actor, now: now().toISOString() });
  const result = requestResult(mutation.request, actor, { statusCode: 201, headers: { location: `${path}/${mutation.request.id}` } });
  const replay = await insertRequest(mutation, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
