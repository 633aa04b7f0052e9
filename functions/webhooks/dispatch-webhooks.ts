/**
 * The webhook dispatcher. Invoked by the bus rule `WebhookFanOut` with an
 * event (fan it out to the tenant's matching subscriptions) or by a
 * one-off schedule with a retry request (try that delivery again).
 * @module
 */

import { getDelivery, getSubscription, insertDelivery, listSubscriptions, saveDelivery } from '#shared/data/webhooks/webhook-repository.js';
import { pendingDelivery } from '#shared/domain/webhooks/webhook.js';
import { matchesEventPattern } from '#shared/events/event-pattern.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { attemptDelivery, deliveryIdOf, type RetryRequest } from '#shared/services/webhooks/webhook-delivery.js';

interface BusEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: { readonly tenantId?: string; readonly eventId?: string; readonly occurredAt?: string };
}

async function handle(input: BusEvent | RetryRequest): Promise<void> {
  if ('deliveryId' in input) return retry(input);
  const tenantId = input.detail?.tenantId;
  if (!tenantId) return;
  const subscriptions = (await listSubscriptions(tenantId)).filter((subscription) => subscription.enabled && matchesEventPattern(subscription.pattern, input));
  const occurredAt = input.detail.occurredAt ?? new Date().toISOString();
  // Delivered concurrently: one slow receiver must not hold up the others.
  await Promise.all(
    subscriptions.map(async (subscription) => {
      const id = deliveryIdOf(subscription.id, input.detail.eventId ?? input.id, occurredAt);
      const delivery = pendingDelivery(id, subscription, input as unknown as Record<string, unknown>, input['detail-type'], new Date().toISOString());
      if (await insertDelivery(delivery)) await attemptDelivery(subscription, delivery);
    }),
  );
}

async function retry(request: RetryRequest): Promise<void> {
  const delivery = await getDelivery(request.tenantId, request.subscriptionId, request.deliveryId);
  // A schedule may fire twice, or after a replay or success: only waiting deliveries are sent.
  if (!delivery || (delivery.status !== 'retrying' && delivery.status !== 'pending')) return;
  const subscription = await getSubscription(request.tenantId, request.subscriptionId);
  if (!subscription?.enabled) {
    await saveDelivery({ ...delivery, status: 'failed', nextAttemptAt: null, lastError: 'The subscription was disabled or deleted before this attempt.' });
    return;
  }
  await attemptDelivery(subscription, delivery);
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('webhooks/dispatch-webhooks', handle);
