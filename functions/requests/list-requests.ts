/**
 * `GET /requests`: the caller's own requests, every request (staff, or one
 * status), or those awaiting the caller's vote (a page of the awaiting
 * requests, kept when the caller's vote would count on the current level).
 * @module
 */
import { now } from '#shared/clock.js';
import { getRequest, listRequests } from '#shared/data/requests/request-repository.js';
import { ForbiddenError } from '#shared/domain/errors.js';
import { awaitsVoteOf } from '#shared/domain/requests/service-request.js';
import { isStaff } from '#shared/domain/roles.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { requestRoutes as routes } from '#shared/http/requests/routes.js';

export const handler = httpHandler(routes.listRequests, async ({ actor, query }) => {
  const page = { limit: query.limit, cursor: query.cursor };
  if (query.queue === 'mine') return { statusCode: 200, body: await listRequests(actor.tenantId, { queue: 'requester', value: actor.userId, ...page }) };
  if (query.queue === 'all') {
    if (!isStaff(actor)) throw new ForbiddenError('Only staff list every request.');
    const queue = query.status ? { queue: 'status' as const, value: query.status } : { queue: 'all' as const };
    return { statusCode: 200, body: await listRequests(actor.tenantId, { ...queue, ...page }) };
  }
  // The summaries carry no approval levels: the page's records are read (at most `limit`, in parallel) to decide.
  const awaiting = await listRequests(actor.tenantId, { queue: 'status', value: 'awaiting_approval', ...page });
  const at = now().toISOString();
  const records = await Promise.all(awaiting.items.map((item) => getRequest(actor.tenantId, item.id)));
  const mine = new Set(records.filter((record) => record !== null && awaitsVoteOf(record, actor, at, [])).map((record) => record?.id));
  return { statusCode: 200, body: { items: awaiting.items.filter((item) => mine.has(item.id)), nextCursor: awaiting.nextCursor } };
});
