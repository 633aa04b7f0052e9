/** `GET /incidents`: one queue, priority then age, cursor-paged. @module */

import { listIncidents } from '#shared/data/incidents/incident-repository.js';
import type { IncidentQueue } from '#shared/data/incidents/keys.js';
import { isStaff } from '#shared/domain/roles.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { incidentSummaryResource } from '#shared/http/incidents/incident-access.js';
import { incidentRoutes as routes } from '#shared/http/incidents/routes.js';

export const handler = httpHandler(routes.listIncidents, async ({ actor, query }) => {
  const { limit, cursor, priority, status, group, assignee, requester, ci } = query;
  // Requesters only ever see their own incidents, whatever they ask for.
  const [queue, value]: [IncidentQueue, string | undefined] = !isStaff(actor)
    ? ['requester', actor.userId]
    : status
      ? ['status', status]
      : group
        ? ['group', group]
        : assignee
          ? ['assignee', assignee]
          : requester
            ? ['requester', requester]
            : ci
              ? ['ci', ci]
              : ['all', undefined];
  const page = await listIncidents(actor.tenantId, { queue, value, priority: priority as 1 | 2 | 3 | 4 | 5 | undefined, limit, cursor });
  return { statusCode: 200, body: { items: page.items.map((summary) => incidentSummaryResource(summary, actor)), nextCursor: page.nextCursor } };
});
