/**
 * Outbound webhook subscriptions and the delivery rules: which events go
 * where, when a failed delivery is tried again, and when a subscription
 * that keeps failing is switched off.
 * @module
 */
import { ConflictError, ForbiddenError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { type Actor, hasRole } from '#shared/domain/roles.js';

export interface WebhookSubscription {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly url: string;
  /** An EventBridge event pattern over the whole event envelope. */
  readonly pattern: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  /** Signing secrets, newest first; the previous one signs too until `previousSecretExpiresAt`. */
  readonly secrets: readonly string[];
  readonly previousSecretExpiresAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** The event delivered (its EventBridge envelope). */
  readonly event: Readonly<Record<string, unknown>>;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

/** How long the previous secret keeps signing after a rotation, so receivers can roll over. */
export const SECRET_OVERLAP_HOURS = 24;

/**
 * Delays before the 2nd, 3rd … attempt. After the last one fails, the
 * delivery has failed and the subscription is disabled.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [30, 300, 1_800, 7_200];

export function requireTenantAdmin(actor: Actor): void {
  if (!hasRole(actor, 'tenant-admin')) throw new ForbiddenError('Webhooks are managed by tenant admins.');
}

/** A delivery of `event` to `subscription`, not yet attempted. */
export function pendingDelivery(
  id: string,
  subscription: WebhookSubscription,
  event: Readonly<Record<string, unknown>>,
  eventType: string,
  now: string,
): WebhookDelivery {
  return {
    id,
    subscriptionId: subscription.id,
    tenantId: subscription.tenantId,
    event,
    eventType,
    status: 'pending',
    attempts: 0,
    lastAttemptAt: null,
    lastResponseStatus: null,
    lastError: null,
    nextAttemptAt: null,
    createdAt: now,
  };
}

export type DeliveryOutcome = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly status: number | null; readonly error: string };

/**
 * The delivery after one attempt: succeeded, retrying at a later time, or
 * failed for good once the retry schedule is used up.
 */
export function afterAttempt(delivery: WebhookDelivery, outcome: DeliveryOutcome, now: Date, retryDelaysSeconds: readonly number[]): WebhookDelivery {
  const attempts = delivery.attempts + 1;
  const base = { ...delivery, attempts, lastAttemptAt: now.toISOString(), lastResponseStatus: outcome.status };
  if (outcome.ok) return { ...base, status: 'succeeded', lastError: null, nextAttemptAt: null };
  const delay = retryDelaysSeconds[attempts - 1];
  if (delay === undefined) return { ...base, status: 'failed', lastError: outcome.error, nextAttemptAt: null };
  return { ...base, status: 'retrying', lastError: outcome.error, nextAttemptAt: new Date(now.getTime() + delay * 1000).toISOString() };
}

/** A failed delivery may be replayed (sent again from the first attempt); others may not. */
export function replayable(delivery: WebhookDelivery): WebhookDelivery {
  if (delivery.status !== 'failed')
    throw new ConflictError(`Only failed deliveries can be replayed; this one is ${delivery.status}.`, { status: delivery.status });
  return { ...delivery, status: 'pending', attempts: 0, nextAttemptAt: null, lastError: null };
}

/** The signing secrets in force at `now`: the current one, and the previous one during the overlap. */
export function signingSecrets(subscription: WebhookSubscription, now: Date): string[] {
  const [current, previous] = subscription.secrets;
  const overlap = previous && subscription.previousSecretExpiresAt && Date.parse(subscription.previousSecretExpiresAt) > now.getTime();
  return [current, ...(overlap ? [previous] : [])].filter((secret): secret is string => secret !== undefined);
}

/** Field diff for the audit trail; secrets never appear in it. */
export function subscriptionChanges(before: WebhookSubscription | null, after: WebhookSubscription): FieldChange[] {
  const fields = ['name', 'url', 'pattern', 'enabled', 'disabledReason'] as const;
  const changes: FieldChange[] = fields.flatMap((field) => {
    const from = before ? before[field] : null;
    return JSON.stringify(from) === JSON.stringify(after[field]) ? [] : [{ field, from, to: after[field] }];
  });
  if (before && before.secrets[0] !== after.secrets[0]) changes.push({ field: 'secret', from: '(previous)', to: '(rotated)' });
  return changes;
}
