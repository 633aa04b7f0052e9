/**
 * Alerts from monitoring (PagerDuty Events v2 semantics: trigger,
 * acknowledge, resolve, grouped by a dedup key) and the pure decision of
 * what one alert event does to the incident its dedup key points at. The
 * ingestion service reads the state, asks {@link decideAlert}, and carries
 * the decision out; nothing here does I/O.
 * @module
 */
import { createHash } from 'node:crypto';
import { isSafeId } from '#shared/domain/identifiers.js';
import type { NewIncidentInput } from '#shared/domain/incidents/incident.js';
import { type IncidentStatus, OPEN_STATUSES } from '#shared/domain/incidents/incident-lifecycle.js';
import type { Level } from '#shared/domain/incidents/priority-matrix.js';
import type { Actor } from '#shared/domain/roles.js';

export const ALERT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
/** PagerDuty's `event_action`. */
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** PagerDuty's `payload.severity`. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_OUTCOMES = ['created', 'updated', 'reopened', 'acknowledged', 'resolved', 'ignored'] as const;
/** What an alert event did, as the API answers it. */
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** Impact and urgency an alert of one severity opens its incident with. */
export interface SeverityLevels {
  readonly impact: Level;
  readonly urgency: Level;
}

/** A tenant's rules for incidents opened by monitoring. */
export interface AlertPolicy {
  /** A `resolve` event resolves the incident (otherwise it only adds a work note). */
  readonly autoResolve: boolean;
  /**
   * A trigger this soon after the incident was resolved reopens it instead
   * of opening a new one: a flapping check must not flood the queue. 0 turns
   * reopening off.
   */
  readonly flapWindowSeconds: number;
  readonly severityMapping: Readonly<Record<AlertSeverity, SeverityLevels>>;
  readonly defaultCategory: string;
  /** Incidents opened by monitoring are dispatched here; `null` leaves them in the `new` queue. */
  readonly defaultAssignmentGroup: string | null;
}

/** The policy of a tenant that never saved one (the defaults). */
export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  autoResolve: true,
  flapWindowSeconds: 900,
  severityMapping: {
    critical: { impact: 1, urgency: 1 },
    error: { impact: 2, urgency: 1 },
    warning: { impact: 2, urgency: 2 },
    info: { impact: 3, urgency: 3 },
  },
  defaultCategory: 'monitoring',
  defaultAssignmentGroup: null,
};

/** The longest flap window a policy may set: a week. */
export const MAX_FLAP_WINDOW_SECONDS = 7 * 24 * 3600;

/** The service user that monitoring acts as: the requester and author of everything it does. */
export const MONITORING_USER_ID = 'monitoring';

/**
 * The actor for work done on monitoring's behalf. An agent, because it
 * logs incidents, reopens, starts and resolves them; not a manager, so it
 * can neither cancel nor move an incident to another group.
 */
export function monitoringActor(tenantId: string): Actor {
  return { tenantId, userId: MONITORING_USER_ID, roles: ['agent'] };
}

/** PagerDuty's `payload`, in our spelling. */
export interface AlertPayload {
  readonly summary: string;
  readonly source: string;
  readonly severity: AlertSeverity;
  readonly component?: string | undefined;
  readonly group?: string | undefined;
  readonly class?: string | undefined;
  readonly customDetails?: unknown;
}

/** One normalized alert event, whichever integration it came through. */
export interface AlertEvent {
  readonly action: AlertAction;
  readonly dedupKey: string;
  /** Required for a trigger; optional context otherwise. */
  readonly payload: AlertPayload | null;
  /** The monitoring tool's name and a link back to it (PagerDuty `client`, `client_url`). */
  readonly client?: string | undefined;
  readonly clientUrl?: string | undefined;
  /** Which integration delivered it: `key:<keyId>` or `cloudwatch`. */
  readonly integration: string;
}

/**
 * The alert record: one per tenant and dedup key, pointing at the incident
 * the key currently belongs to.
 */
export interface AlertRecord {
  readonly tenantId: string;
  readonly dedupKey: string;
  readonly incidentId: string;
  readonly incidentNumber: string;
  /** Triggers counted against the current incident (the one that opened it included). */
  readonly occurrences: number;
  readonly firstTriggeredAt: string;
  readonly lastTriggeredAt: string;
  /** Set by an acknowledge; cleared when the incident is reopened or replaced. */
  readonly acknowledgedAt: string | null;
  /** When monitoring last reported recovery; cleared by the next trigger. */
  readonly resolvedAt: string | null;
  readonly severity: AlertSeverity | null;
  readonly summary: string | null;
  readonly source: string | null;
  readonly integration: string;
}

/** What the decision needs to know about the incident a dedup key points at. */
export interface AlertIncidentState {
  readonly status: IncidentStatus;
  readonly assigneeId: string | null;
  /** When the incident entered `resolved` (whoever resolved it); read only while it is resolved. */
  readonly resolvedAt: string | null;
}

/** Everything {@link decideAlert} decides from. */
export interface AlertSituation {
  readonly action: AlertAction;
  readonly alert: Pick<AlertRecord, 'acknowledgedAt' | 'resolvedAt'> | null;
  /** `null` when there is no alert record, or its incident no longer exists. */
  readonly incident: AlertIncidentState | null;
  readonly policy: Pick<AlertPolicy, 'autoResolve' | 'flapWindowSeconds'>;
  readonly now: string;
}

/** Why a trigger opens a new incident. */
export type OpenReason = 'first-trigger' | 'incident-missing' | 'after-flap-window' | 'incident-ended';

/** Which work note an acknowledge or resolve writes. */
export type AlertNoteKind = 'acknowledged' | 'recovered' | 'recovered-unassigned';

/** What to do; the outcome is what the API reports. */
export type AlertDecision =
  | { readonly kind: 'open'; readonly outcome: 'created'; readonly reason: OpenReason }
  | { readonly kind: 'count'; readonly outcome: 'updated' }
  | { readonly kind: 'reopen'; readonly outcome: 'reopened'; readonly secondsSinceResolved: number }
  | { readonly kind: 'start'; readonly outcome: 'acknowledged' }
  | { readonly kind: 'note'; readonly outcome: 'acknowledged' | 'updated'; readonly note: AlertNoteKind }
  | { readonly kind: 'resolve'; readonly outcome: 'resolved' }
  | { readonly kind: 'ignore'; readonly outcome: 'ignored'; readonly reason: string };

/** Statuses from which the life cycle allows `resolve`: an unassigned (`new`) incident has nobody to have fixed it. */
const RESOLVABLE: readonly IncidentStatus[] = ['assigned', 'in_progress', 'on_hold'];

const isOpen = (status: IncidentStatus) => OPEN_STATUSES.includes(status);

/**
 * What one alert event does.
 *
 * - **trigger**: no alert yet, or its incident is gone → open an incident;
 *   incident open → only count the occurrence (a storm must not write
 *   incident versions); resolved less than `flapWindowSeconds` ago → reopen
 *   it (flapping opens nothing new); resolved longer ago, closed or
 *   cancelled → open a new incident.
 * - **acknowledge**: once per incident; an incident assigned to a person is
 *   started, any other open one gets a work note (starting an incident that
 *   nobody owns would make the monitoring user its assignee).
 * - **resolve**: once per trigger; resolves the incident when the policy
 *   says so and the life cycle allows it, otherwise a work note records the
 *   recovery. Anything already resolved, closed or cancelled is ignored.
 *
 * The flap window runs from when the incident entered `resolved`, whoever
 * resolved it: a check that fires again right after an agent's fix says the
 * fix did not hold, just as one that fires after an automatic resolve does.
 */
export function decideAlert(situation: AlertSituation): AlertDecision {
  const { action, alert, incident, policy, now } = situation;
  switch (action) {
    case 'trigger': {
      if (!alert) return { kind: 'open', outcome: 'created', reason: 'first-trigger' };
      if (!incident) return { kind: 'open', outcome: 'created', reason: 'incident-missing' };
      if (isOpen(incident.status)) return { kind: 'count', outcome: 'updated' };
      if (incident.status !== 'resolved') return { kind: 'open', outcome: 'created', reason: 'incident-ended' };
      // A resolved incident without its timestamp cannot prove it is within the window.
      const seconds = incident.resolvedAt === null ? Number.POSITIVE_INFINITY : (Date.parse(now) - Date.parse(incident.resolvedAt)) / 1000;
      if (seconds < policy.flapWindowSeconds) return { kind: 'reopen', outcome: 'reopened', secondsSinceResolved: Math.max(0, Math.round(seconds)) };
      return { kind: 'open', outcome: 'created', reason: 'after-flap-window' };
    }
    case 'acknowledge': {
      if (!alert || !incident) return { kind: 'ignore', outcome: 'ignored', reason: 'No alert with this dedup key.' };
      if (!isOpen(incident.status)) return { kind: 'ignore', outcome: 'ignored', reason: `The incident is already ${incident.status}.` };
      if (alert.acknowledgedAt !== null) return { kind: 'ignore', outcome: 'ignored', reason: 'Already acknowledged.' };
      if (incident.status === 'assigned' && incident.assigneeId !== null) return { kind: 'start', outcome: 'acknowledged' };
      return { kind: 'note', outcome: 'acknowledged', note: 'acknowledged' };
    }
    case 'resolve': {
      if (!alert || !incident) return { kind: 'ignore', outcome: 'ignored', reason: 'No alert with this dedup key.' };
      if (!isOpen(incident.status)) return { kind: 'ignore', outcome: 'ignored', reason: `The incident is already ${incident.status}.` };
      if (alert.resolvedAt !== null) return { kind: 'ignore', outcome: 'ignored', reason: 'Recovery was already reported.' };
      if (!policy.autoResolve) return { kind: 'note', outcome: 'updated', note: 'recovered' };
      if (!RESOLVABLE.includes(incident.status)) return { kind: 'note', outcome: 'updated', note: 'recovered-unassigned' };
      return { kind: 'resolve', outcome: 'resolved' };
    }
  }
}

/**
 * PagerDuty's default grouping for a trigger without `dedup_key`: the same
 * source and summary are the same alert. Returned to the caller, who needs
 * it to acknowledge or resolve.
 */
export function defaultDedupKey(payload: Pick<AlertPayload, 'source' | 'summary'>): string {
  return createHash('sha256').update(`${payload.source}\n${payload.summary}`).digest('hex');
}

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 10_000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The incident a trigger opens: title from the summary, description from
 * everything else the payload says, impact and urgency from the policy's
 * severity mapping, the component as CI when it is a usable id.
 */
export function incidentFromAlert(event: AlertEvent & { payload: AlertPayload }, policy: AlertPolicy): NewIncidentInput {
  const { payload } = event;
  const levels = policy.severityMapping[payload.severity];
  const lines = [
    payload.summary,
    '',
    `Source: ${payload.source}`,
    `Severity: ${payload.severity}`,
    ...(payload.component ? [`Component: ${payload.component}`] : []),
    ...(payload.group ? [`Group: ${payload.group}`] : []),
    ...(payload.class ? [`Class: ${payload.class}`] : []),
    `Dedup key: ${event.dedupKey}`,
    ...(event.client || event.clientUrl ? [`Reported by: ${[event.client, event.clientUrl].filter(Boolean).join(' ')}`] : []),
    ...(payload.customDetails === undefined || payload.customDetails === null
      ? []
      : ['', 'Details:', typeof payload.customDetails === 'string' ? payload.customDetails : JSON.stringify(payload.customDetails, null, 2)]),
  ];
  return {
    title: clip(payload.summary.trim(), TITLE_MAX),
    description: clip(lines.join('\n'), DESCRIPTION_MAX),
    category: policy.defaultCategory,
    type: 'other',
    impact: levels.impact,
    urgency: levels.urgency,
    channel: 'monitoring',
    requesterId: MONITORING_USER_ID,
    // Free text from a monitoring tool may name anything; only an id-shaped one can be a CI key.
    ciId: isSafeId(payload.component) ? payload.component : null,
  };
}

/** The text of the work note a `note` decision writes. */
export function alertNoteText(note: AlertNoteKind, event: AlertEvent): string {
  const by = event.client ?? event.integration;
  switch (note) {
    case 'acknowledged':
      return `Monitoring: the alert was acknowledged in ${by} (dedup key ${event.dedupKey}).`;
    case 'recovered':
      return `Monitoring reports recovery (dedup key ${event.dedupKey}). Not resolved automatically: the alert policy has autoResolve off.`;
    case 'recovered-unassigned':
      return `Monitoring reports recovery (dedup key ${event.dedupKey}). Not resolved automatically: the incident is not assigned yet, and only assigned incidents can be resolved.`;
  }
}

/** The reopen reason for a trigger within the flap window. */
export function flapReopenReason(event: AlertEvent, secondsSinceResolved: number, policy: Pick<AlertPolicy, 'flapWindowSeconds'>): string {
  return `Monitoring: the alert fired again ${secondsSinceResolved} s after resolution, within the ${policy.flapWindowSeconds} s flap window (dedup key ${event.dedupKey}).`;
}

/** The resolution notes of an automatic resolve. */
export function recoveryNotes(event: AlertEvent): string {
  const what = event.payload?.summary ? `: ${event.payload.summary}` : '';
  return clip(`Monitoring reported recovery${what} (dedup key ${event.dedupKey}).`, DESCRIPTION_MAX);
}
