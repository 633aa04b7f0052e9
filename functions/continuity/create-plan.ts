/** `POST /continuity-plans`: a plan for a business service of the CMDB (idempotent with `Idempotency-Key`). @module */
import { ulid } from 'ulid';
import { now } from '#shared/clock.js';
import { getCi } from '#shared/data/cmdb/ci-repository.js';
import { insertPlan } from '#shared/data/continuity/continuity-repository.js';
import { createPlan } from '#shared/domain/continuity/continuity-plan.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import { planResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { checkOutboundUrl } from '#shared/services/outbound/outbound-guard.js';

export const handler = httpHandler(routes.createContinuityPlan, async ({ actor, body, idempotency, path }) => {
  const service = await getCi(actor.tenantId, body.serviceId);
  if (service?.class !== 'business_service') {
    throw new UnprocessableError(`CI ${body.serviceId} is not a business service of this tenant.`, { field: 'serviceId' });
  }
  // Probe URLs are tenant-given targets the workflow will call: public https addresses only.
  for (const [index, step] of body.steps.entries()) if (step.kind === 'probe') await checkOutboundUrl(step.url, `steps.${index}.url`);
  const change = createPlan(body, ulid(), { actor, now: now().toISOString() });
  const result = { statusCode: 201, body: planResource(change.plan), version: change.plan.version, headers: { location: `${path}/${change.plan.id}` } };
  const replay = await insertPlan(change, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
