/** `POST /catalogue-items`: a new catalogue item, as a draft (idempotent with `Idempotency-Key`). @module */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { insertCatalogueItem } from '#shared/data/requests/catalogue-item-repository.js';
import { createItem } from '#shared/domain/requests/catalogue-item.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { catalogueItemResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.createCatalogueItem, async ({ actor, body, idempotency, path }) => {
  const code = await allocateNumber(actor.tenantId, 'SRV-');
  const mutation = createItem(body, { id: ulid(), code }, { actor, now: now().toISOString() });
  const result = catalogueItemResult(mutation.item, actor, { statusCode: 201, headers: { location: `${path}/${mutation.item.id}` } });
  const replay = await insertCatalogueItem(mutation, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
