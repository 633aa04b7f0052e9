/** `POST /changes/{id}/assess`: impact, risk (questionnaire), resources, continuity impact. @module */
import { now } from '#shared/clock.js';
import { CHANGE_MODEL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { assessChange } from '#shared/domain/changes/change.js';
import { changeChange, changeResult } from '#shared/http/changes/change-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.assessChange, async ({ actor, params, body, ifMatch }) => {
  const model = await getSetting(CHANGE_MODEL_SETTING, actor.tenantId);
  const change = await changeChange(actor, params.id, ifMatch, (current) =>
    assessChange(current, { actor, now: now().toISOString() }, body as Parameters<typeof assessChange>[2], model.value.riskQuestionnaire),
  );
  return changeResult(change, actor);
});
