/**
 * Sending webhooks: one signed POST per attempt, the delivery log updated
 * after each, the next attempt scheduled with backoff, and the
 * subscription disabled (with an event) when a delivery fails for good.
 * @module
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import { getSubscription, saveDelivery, saveSubscription } from '#shared/data/webhooks/webhook-repository.js';
import type { Actor } from '#shared/domain/roles.js';
import {
  afterAttempt,
  DEFAULT_RETRY_DELAYS_SECONDS,
  type DeliveryOutcome,
  signingSecrets,
  type WebhookDelivery,
  type WebhookSubscription,
} from '#shared/domain/webhooks/webhook.js';
import { requiredEnv } from '#shared/env.js';
import { scheduleOnce } from '#shared/events/scheduler.js';
import { signedHeaders } from '#shared/events/webhook-signature.js';
import { logger } from '#shared/observability/logger.js';
import { guardedRequest, OutboundRefusedError } from '#shared/services/outbound/outbound-guard.js';

/** The dispatcher acts as a system user in audit entries and events. */
export const DISPATCHER: Omit<Actor, 'tenantId'> = { userId: 'webhook-dispatcher', roles: [] };
const TIMEOUT_MS = 5_000;
/** Receivers' answers are not used; reading a little keeps the connection orderly without letting a receiver stream at us. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What the scheduler hands back for a retry. */
export interface RetryRequest {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly deliveryId: string;
}

/**
 * The delivery id for an event and a subscription: a ULID whose time is the
 * event's and whose rest is a hash of both ids, so a redelivered event maps
 * to the same delivery (and receivers see the same `webhook-id`).
 */
export function deliveryIdOf(subscriptionId: string, eventId: string, occurredAt: string): string {
  const digest = createHash('sha256').update(`${subscriptionId}/${eventId}`).digest();
  const random = Array.from(digest.subarray(0, 16), (byte) => CROCKFORD[byte % 32]).join('');
  return `${encodeTime(Date.parse(occurredAt) || Date.now(), 10)}${random}`;
}

export function retryDelays(): number[] {
  const configured = process.env.WEBHOOK_RETRY_DELAYS_SECONDS;
  return configured
    ? configured
        .split(',')
        .map(Number)
        .filter((delay) => delay >= 0)
    : [...DEFAULT_RETRY_DELAYS_SECONDS];
}

async function post(subscription: WebhookSubscription, delivery: WebhookDelivery, now: Date): Promise<DeliveryOutcome> {
  const body = JSON.stringify(delivery.event);
  const headers = signedHeaders(signingSecrets(subscription, now), delivery.id, Math.floor(now.getTime() / 1000), body);
  try {
    // Checked again at each attempt: the name may resolve elsewhere since it was saved (DNS rebinding).
    const response = await guardedRequest(subscription.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'itsm-webhooks/1', ...headers },
      body,
      timeoutMs: TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, status: response.status, error: `HTTP ${response.status}${redirect}` };
  } catch (error) {
    const reason = error instanceof OutboundRefusedError ? `Refused: ${error.message}` : (error as Error).message;
    return { ok: false, status: null, error: reason };
  }
}

/**
 * One attempt of `delivery`, then: done, a retry scheduled, or the
 * subscription disabled. Returns the delivery as recorded.
 */
export async function attemptDelivery(subscription: WebhookSubscription, delivery: WebhookDelivery): Promise<WebhookDelivery> {
  const now = new Date();
  const next = afterAttempt(delivery, await post(subscription, delivery, now), now, retryDelays());
  await saveDelivery(next);
  if (next.status === 'retrying' && next.nextAttemptAt) {
    const payload: RetryRequest = { tenantId: next.tenantId, subscriptionId: next.subscriptionId, deliveryId: next.id };
    await scheduleOnce({
      name: `wh-${next.id}-${next.attempts}`,
      when: new Date(next.nextAttemptAt),
      targetArn: requiredEnv('WEBHOOK_DISPATCHER_ARN'),
      payload,
    });
  }
  if (next.status === 'failed') await disable(subscription, `Delivery ${next.id} failed ${next.attempts} times: ${next.lastError}`);
  return next;
}

async function disable(subscription: WebhookSubscription, reason: string): Promise<void> {
  const current = await getSubscription(subscription.tenantId, subscription.id);
  if (!current?.enabled) return;
  const now = new Date().toISOString();
  const disabled: WebhookSubscription = {
    ...current,
    enabled: false,
    disabledReason: reason,
    updatedAt: now,
    updatedBy: DISPATCHER.userId,
    version: current.version + 1,
  };
  try {
    await saveSubscription(
      disabled,
      { ...DISPATCHER, tenantId: current.tenantId },
      { type: 'WebhookSubscriptionDisabled', action: 'disable', changes: [{ field: 'enabled', from: true, to: false }], reason },
      current.version,
      false,
    );
  } catch (error) {
    // Someone changed it meanwhile (an admin edit or another failing delivery): their version stands.
    logger.warn('Could not disable webhook subscription', { subscriptionId: current.id, error: (error as Error).message });
  }
}
