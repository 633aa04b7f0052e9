/**
 * `POST /requests`: raise a request against an item's published version;
 * the answer carries the knowledge suggestions an incident's create offers.
 * Three DynamoDB calls: the item (its published version inside), the
 * number, and the one transaction (request, audit, event, first tasks'
 * queue entries); a fourth, the requester's people record, for an item
 * approved by the requester's manager. The answers and the manager are
 * checked before the number is taken, so a refused submission writes
 * nothing at all.
 * @module
 */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { insertRequest } from '#shared/data/requests/request-repository.js';
import { getPerson } from '#shared/data/tenants/person-repository.js';
import { approvalPolicyOf, type RequesterManager, requestableVersion } from '#shared/domain/requests/catalogue-item.js';
import { suggestionQuery, validateAnswers } from '#shared/domain/requests/request-form.js';
import { FormAnswersError, submitRequest } from '#shared/domain/requests/service-request.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { findCatalogueItem, requestResult } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';
import { suggestionsOrNone } from '#shared/services/knowledge/search.js';

/** The manager on the requester's people record: null when it names none, undefined when there is no record. */
async function managerOf(tenantId: string, userId: string): Promise<RequesterManager> {
  const person = await getPerson(tenantId, userId);
  return person ? (person.managerId ?? null) : undefined;
}

export const handler = httpHandler(routes.submitRequest, async ({ actor, body, idempotency, path }) => {
  const item = await findCatalogueItem(actor, body.itemId);
  const version = requestableVersion(item, actor);
  const errors = validateAnswers(version.definition.form, body.answers);
  if (errors.length > 0) throw new FormAnswersError(errors);
  // Only a "requester's manager" approval reads the requester's people record (a fourth call), before any number is taken.
  const requesterManager = version.definition.approval.kind === 'manager' ? await managerOf(actor.tenantId, actor.userId) : undefined;
  const ctx = { actor, now: now().toISOString() };
  const input = { answers: body.answers, requesterManager };
  // Refused before a number is taken (no manager on the profile): the same rule the submission applies.
  approvalPolicyOf(version.definition.approval, requesterManager);
  // Suggestions read while the number is taken, as an incident's create does: the slower of the two, not both.
  const [number, suggestions] = await Promise.all([
    allocateNumber(actor.tenantId, 'REQ'),
    suggestionsOrNone(actor, suggestionQuery(version.definition.form, version.definition, body.answers)),
  ]);
  const mutation = submitRequest(item, version, input, { id: ulid(), number }, ctx);
  const created = requestResult(mutation.request, actor, { statusCode: 201, headers: { location: `${path}/${mutation.request.id}` } });
  const result = { ...created, body: { ...(created.body as object), suggestions } };
  const replay = await insertRequest(mutation, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
