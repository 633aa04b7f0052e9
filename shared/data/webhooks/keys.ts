/**
 * Key builders of the webhooks practice: the only place that knows how its keys
 * are spelt. Every key starts with the tenant prefix (`../keys.ts`).
 * @module
 */
import { type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/** A tenant's webhook subscriptions share one small partition: fan-out reads them with one Query. */
export function webhooksPartition(tenantId: string): string {
  return `${tenantPrefix(tenantId)}WEBHOOKS`;
}

export const WEBHOOK_PREFIX = 'WEBHOOK#';
export function webhookKey(tenantId: string, subscriptionId: string): PrimaryKey {
  return { PK: webhooksPartition(tenantId), SK: `${WEBHOOK_PREFIX}${segment(subscriptionId)}` };
}

/** Deliveries of one subscription, newest last by ULID. */
export function webhookDeliveriesPartition(tenantId: string, subscriptionId: string): string {
  return `${tenantPrefix(tenantId)}WEBHOOK#${segment(subscriptionId)}#DELIVERIES`;
}

export const DELIVERY_PREFIX = 'DELIVERY#';
export function webhookDeliveryKey(tenantId: string, subscriptionId: string, deliveryId: string): PrimaryKey {
  return { PK: webhookDeliveriesPartition(tenantId, subscriptionId), SK: `${DELIVERY_PREFIX}${segment(deliveryId)}` };
}
