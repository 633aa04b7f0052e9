/**
 * What the webhook handlers share: finding a subscription of the caller's
 * tenant, checking a proposed URL and filter, and presenting it.
 * @module
 */

import { getSubscription } from '#shared/data/webhooks/webhook-repository.js';
import { NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { WebhookSubscription } from '#shared/domain/webhooks/webhook.js';
import { eventPatternProblems } from '#shared/events/event-pattern.js';
import { checkOutboundUrl } from '#shared/services/outbound/outbound-guard.js';

export async function findSubscription(actor: Actor, id: string): Promise<WebhookSubscription> {
  const subscription = await getSubscription(actor.tenantId, id);
  if (!subscription) throw new NotFoundError(`Webhook ${id} was not found.`);
  return subscription;
}

/** 422 for a URL the outbound guard would not call, or a filter EventBridge would refuse. */
export async function checkTarget(input: { url?: string | undefined; pattern?: Record<string, unknown> | undefined }): Promise<void> {
  if (input.url !== undefined) await checkOutboundUrl(input.url, 'url');
  if (input.pattern !== undefined) {
    const problems = eventPatternProblems(input.pattern);
    if (problems.length > 0) throw new UnprocessableError('The event pattern is not valid.', { problems });
  }
}

/** The API representation: never the secrets. */
export function webhookResource(subscription: WebhookSubscription) {
  const { secrets: _secrets, tenantId: _tenant, ...rest } = subscription;
  return rest;
}
