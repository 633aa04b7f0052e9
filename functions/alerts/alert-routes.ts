/**
 * Routes of the alert ingestion. Handlers import their practice's routes
 * only, so a function loads the schemas it serves and no others.
 * @module
 */
import { defineRoute } from '../../shared/http/route.js';
import { AlertAccepted, IngestAlertBody } from './alert-schemas.js';

export const alertRoutes = {
  ingestAlert: defineRoute({
    operationId: 'ingestAlert',
    method: 'POST',
    path: '/alerts',
    summary: 'Send a monitoring alert (PagerDuty Events API v2)',
    description:
      'Authenticated by `routing_key` (an integration key), not by a bearer token. `trigger` opens an incident or counts a repeat of an open one (same `dedup_key`); a trigger soon after resolution reopens it (flap window). `acknowledge` starts or annotates it, `resolve` resolves or annotates it, as the alert policy says.',
    tag: 'Alerts',
    roles: 'public',
    body: IngestAlertBody,
    response: { status: 202, description: 'Processed; `action` says what happened', schema: AlertAccepted },
    problems: [400, 401, 409, 413, 415, 429],
    access: 'write',
    handler: 'alerts/ingest-alert',
  }),
} as const;
