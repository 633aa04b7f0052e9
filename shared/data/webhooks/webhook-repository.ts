/**
 * Webhook subscriptions (audited, versioned, with events) and their
 * deliveries (an operational log with a 30-day TTL, written directly).
 * @module
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation, type IdempotencyClaim, type IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { queryPage } from '#shared/data/query-page.js';
import { withoutStorageAttributes } from '#shared/data/table-definition.js';
import { quotaClaim, quotaRelease } from '#shared/data/tenant-limits.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import type { WebhookDelivery, WebhookSubscription } from '#shared/domain/webhooks/webhook.js';
import type { EventType } from '#shared/events/catalogue.js';
import { recordEvent } from '#shared/events/outbox-event.js';
import { DELIVERY_PREFIX, WEBHOOK_PREFIX, webhookDeliveriesPartition, webhookDeliveryKey, webhookKey, webhooksPartition } from './keys.js';

const DELIVERY_TTL_SECONDS = 30 * 24 * 3600;

type WebhookEventType = Extract<EventType, `Webhook${string}`>;

function eventOf(type: WebhookEventType, subscription: WebhookSubscription, actor: Actor, changes: FieldChange[], reason?: string) {
  return recordEvent(type, subscription, actor, { subscriptionId: subscription.id, changes, ...(reason ? { reason } : {}) });
}

export async function insertSubscription(
  subscription: WebhookSubscription,
  actor: Actor,
  changes: FieldChange[],
  idempotency?: IdempotencyClaim,
): Promise<IdempotentReplay | null> {
  return commitMutation({
    actor,
    recordType: 'WebhookSubscription',
    recordId: subscription.id,
    write: { kind: 'create', item: { ...webhookKey(subscription.tenantId, subscription.id), entity: 'WebhookSubscription', ...subscription } },
    audit: { action: 'create', version: subscription.version, changes, facts: {} },
    event: eventOf('WebhookSubscriptionCreated', subscription, actor, changes),
    // Counted against the tenant's webhook quota: past it, 422 naming it and nothing written.
    quota: await quotaClaim(subscription.tenantId, 'webhooks'),
    idempotency,
  });
}

/** Writes a changed subscription if `expectedVersion` is still current. */
export async function saveSubscription(
  subscription: WebhookSubscription,
  actor: Actor,
  change: { type: WebhookEventType; action: string; changes: FieldChange[]; reason?: string },
  expectedVersion: number,
  ifMatch: boolean,
): Promise<void> {
  await commitMutation({
    actor,
    recordType: 'WebhookSubscription',
    recordId: subscription.id,
    write: {
      kind: 'replace',
      item: { ...webhookKey(subscription.tenantId, subscription.id), entity: 'WebhookSubscription', ...subscription },
      expectedVersion,
      ifMatch,
    },
    audit: { action: change.action, version: subscription.version, changes: change.changes, facts: change.reason ? { reason: change.reason } : {} },
    event: eventOf(change.type, subscription, actor, change.changes, change.reason),
  });
}

export async function deleteSubscription(subscription: WebhookSubscription, actor: Actor, now: string, ifMatch: boolean): Promise<void> {
  const gone = { ...subscription, updatedAt: now, updatedBy: actor.userId, version: subscription.version + 1 };
  await commitMutation({
    actor,
    recordType: 'WebhookSubscription',
    recordId: subscription.id,
    write: { kind: 'delete', key: webhookKey(subscription.tenantId, subscription.id), expectedVersion: subscription.version, ifMatch },
    audit: { action: 'delete', version: gone.version, changes: [], facts: {} },
    event: eventOf('WebhookSubscriptionDeleted', gone, actor, []),
    quota: quotaRelease(subscription.tenantId, 'webhooks'),
  });
}

export async function getSubscription(tenantId: string, subscriptionId: string): Promise<WebhookSubscription | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: webhookKey(tenantId, subscriptionId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<WebhookSubscription>(result.Item) : null;
}

/** Every subscription of the tenant (a handful): one Query, all pages. */
export async function listSubscriptions(tenantId: string): Promise<WebhookSubscription[]> {
  const subscriptions: WebhookSubscription[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': webhooksPartition(tenantId), ':prefix': WEBHOOK_PREFIX },
        ExclusiveStartKey: start,
      }),
    );
    subscriptions.push(...(page.Items ?? []).map((item) => withoutStorageAttributes<WebhookSubscription>(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return subscriptions;
}

/**
 * Records a new delivery unless one exists for the same subscription and
 * event (EventBridge delivers at least once): returns false for a duplicate.
 */
export async function insertDelivery(delivery: WebhookDelivery): Promise<boolean> {
  try {
    await db.send(new PutCommand({ TableName: tableName(), Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

export async function saveDelivery(delivery: WebhookDelivery): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: deliveryItem(delivery) }));
}

export async function getDelivery(tenantId: string, subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: webhookDeliveryKey(tenantId, subscriptionId, deliveryId), ConsistentRead: true }));
  return result.Item ? withoutStorageAttributes<WebhookDelivery>(result.Item) : null;
}

/** A subscription's deliveries, newest first. */
export async function listDeliveries(tenantId: string, subscriptionId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
  const pk = webhookDeliveriesPartition(tenantId, subscriptionId);
  const page = await queryPage(
    {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': DELIVERY_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
      partition: { attribute: 'PK', value: pk },
    },
    cursor,
  );
  return { items: page.items.map((item) => withoutStorageAttributes<WebhookDelivery>(item)), nextCursor: page.nextCursor };
}

function deliveryItem(delivery: WebhookDelivery) {
  return {
    ...webhookDeliveryKey(delivery.tenantId, delivery.subscriptionId, delivery.id),
    entity: 'WebhookDelivery',
    ...delivery,
    expiresAt: Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_TTL_SECONDS,
  };
}
