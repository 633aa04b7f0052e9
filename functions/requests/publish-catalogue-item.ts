/**
 * `POST /catalogue-items/{id}/publish`: the draft becomes the next version,
 * with the business calendar of the tenant's SLA in force now, so its
 * targets are counted the same way for every request raised against it;
 * only when every task's group is an active group of the tenant (422).
 * @module
 */
import { now } from '#shared/clock.js';
import { getSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { publishItem } from '#shared/domain/requests/catalogue-item.js';
import { defaultSlaDefinition } from '#shared/domain/sla/sla-definition.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { catalogueItemResult, changeCatalogueItem } from '#shared/http/requests/request-access.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';
import { requireActiveGroups } from '#shared/services/groups/group-dispatch.js';

export const handler = httpHandler(routes.publishCatalogueItem, async ({ actor, params, ifMatch }) => {
  const policy = await getSlaPolicy(actor.tenantId);
  const calendar = (policy.value.definitions[0] ?? defaultSlaDefinition()).calendar;
  const item = await changeCatalogueItem(actor, params.id, ifMatch, async (current) => {
    // A published plan dispatches each task to its group: every one must be an active group of the tenant (a draft may name one still to be made).
    await requireActiveGroups(
      actor.tenantId,
      current.draft.plan.stages.flatMap((stage, s) =>
        stage.tasks.map((task, t) => ({ code: task.group, field: `definition.plan.stages[${s}].tasks[${t}].group` })),
      ),
    );
    return publishItem(current, { actor, now: now().toISOString() }, calendar);
  });
  return catalogueItemResult(item, actor);
});
