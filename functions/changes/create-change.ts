/** `POST /changes`: raise a change request (idempotent with `Idempotency-Key`). @module */

import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { insertChange } from '#shared/data/changes/change-repository.js';
import { CHANGE_MODEL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { createChange } from '#shared/domain/changes/change.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import { changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.createChange, async ({ actor, body, idempotency, path }) => {
  let template = null;
  if (body.templateId) {
    const model = await getSetting(CHANGE_MODEL_SETTING, actor.tenantId);
    template = model.value.templates.find((candidate) => candidate.id === body.templateId) ?? null;
    if (!template) throw new UnprocessableError(`No standard-change template '${body.templateId}'.`, { field: 'templateId' });
  }
  const number = await allocateNumber(actor.tenantId, 'CHG');
  const mutation = createChange(body, { id: ulid(), number }, { actor, now: now().toISOString() }, template);
  const result = await changeResult(mutation.change, actor, { statusCode: 201, headers: { location: `${path}/${mutation.change.id}` } });
  const replay = await insertChange(mutation, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
