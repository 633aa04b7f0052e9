/** `POST /alerts`: a PagerDuty Events v2 event from any monitoring tool, authenticated by its routing key. @module */
import type * as z from 'zod';
import { runInTenantScope } from '#shared/data/tenant-scope.js';
import { type AlertPayload, defaultDedupKey } from '#shared/domain/alerts/alert.js';
import { alertRoutes as routes } from '#shared/http/alerts/routes.js';
import type { IngestAlertBody } from '#shared/http/alerts/schemas.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { ingestAlert } from '#shared/services/alerts/alert-ingestion.js';
import { authenticateRoutingKey } from '#shared/services/alerts/routing-key-auth.js';

type Body = z.infer<typeof IngestAlertBody>;

/** PagerDuty's payload in our spelling; on acknowledge and resolve only a complete one is kept. */
function payloadOf(body: Body): AlertPayload | null {
  const payload = body.payload;
  if (!payload?.summary || !payload.source || !payload.severity) return null;
  return {
    summary: payload.summary,
    source: payload.source,
    severity: payload.severity,
    component: payload.component,
    group: payload.group,
    class: payload.class,
    customDetails: payload.custom_details,
  };
}

export const handler = httpHandler(routes.ingestAlert, async ({ body }) => {
  const caller = await authenticateRoutingKey(body.routing_key);
  const payload = payloadOf(body);
  // The schema requires a payload on triggers and a dedup key on the other actions.
  const dedupKey = body.dedup_key ?? defaultDedupKey(payload as AlertPayload);
  // A public route: the tenant wall opens here, once the routing key has named and proven the tenant.
  const outcome = await runInTenantScope(caller.tenantId, () =>
    ingestAlert(caller.tenantId, {
      action: body.event_action,
      dedupKey,
      payload,
      client: body.client,
      clientUrl: body.client_url,
      integration: `key:${caller.keyId}`,
    }),
  );
  return {
    statusCode: 202,
    body: {
      status: 'success',
      message: 'Event processed',
      dedup_key: dedupKey,
      incidentId: outcome.incidentId,
      incidentNumber: outcome.incidentNumber,
      action: outcome.action,
    },
  };
});
