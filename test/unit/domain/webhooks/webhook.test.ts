/**
 * Webhook rules: the retry schedule, replay, secret overlap, URL policy,
 * audit diff; and the Standard Webhooks signature a receiver verifies.
 */
import { describe, expect, it } from 'vitest';
import {
  afterAttempt,
  replayable,
  signingSecrets,
  subscriptionChanges,
  type WebhookDelivery,
  type WebhookSubscription,
} from '#shared/domain/webhooks/webhook.js';
import { atExpression } from '#shared/events/scheduler.js';
import { newWebhookSecret, signatureOf, signedHeaders, verifyWebhookSignature } from '#shared/events/webhook-signature.js';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const delivery = (overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: 'D1',
  subscriptionId: 'S1',
  tenantId: 'acme',
  event: {},
  eventType: 'IncidentCreated',
  status: 'pending',
  attempts: 0,
  lastAttemptAt: null,
  lastResponseStatus: null,
  lastError: null,
  nextAttemptAt: null,
  createdAt: NOW.toISOString(),
  ...overrides,
});
const subscription = (overrides: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  id: 'S1',
  tenantId: 'acme',
  name: 'ops',
  url: 'https://hooks.example.com/x',
  pattern: { source: ['itsm.incidents'] },
  enabled: true,
  disabledReason: null,
  secrets: ['whsec_bmV3', 'whsec_b2xk'],
  previousSecretExpiresAt: '2026-11-23T10:00:00.000Z',
  createdAt: NOW.toISOString(),
  createdBy: 'admin',
  updatedAt: NOW.toISOString(),
  updatedBy: 'admin',
  version: 1,
  ...overrides,
});

describe('afterAttempt', () => {
  const delays = [30, 300];
  it.each([
    { name: 'first attempt succeeds', before: delivery(), ok: true, status: 'succeeded', attempts: 1, next: null },
    { name: 'first attempt fails → retry in 30 s', before: delivery(), ok: false, status: 'retrying', attempts: 1, next: '2026-11-22T10:00:30.000Z' },
    {
      name: 'second fails → retry in 300 s',
      before: delivery({ attempts: 1, status: 'retrying' }),
      ok: false,
      status: 'retrying',
      attempts: 2,
      next: '2026-11-22T10:05:00.000Z',
    },
    { name: 'third fails → failed for good', before: delivery({ attempts: 2, status: 'retrying' }), ok: false, status: 'failed', attempts: 3, next: null },
    {
      name: 'a late success clears the error',
      before: delivery({ attempts: 2, status: 'retrying', lastError: 'HTTP 500' }),
      ok: true,
      status: 'succeeded',
      attempts: 3,
      next: null,
    },
  ])('$name', ({ before, ok, status, attempts, next }) => {
    const outcome = ok ? ({ ok: true, status: 200 } as const) : ({ ok: false, status: 500, error: 'HTTP 500' } as const);
    const after = afterAttempt(before, outcome, NOW, delays);
    expect(after).toMatchObject({ status, attempts, nextAttemptAt: next, lastAttemptAt: NOW.toISOString(), lastResponseStatus: outcome.status });
    expect(after.lastError).toBe(ok ? null : 'HTTP 500');
  });
});

describe('replay, secrets, URLs, audit', () => {
  it.each(['pending', 'retrying', 'succeeded'] as const)('refuses to replay a %s delivery', (status) => {
    expect(() => replayable(delivery({ status }))).toThrow(/Only failed deliveries/);
  });

  it('replays a failed delivery from its first attempt', () => {
    expect(replayable(delivery({ status: 'failed', attempts: 3, lastError: 'HTTP 500' }))).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  });

  it.each([
    { name: 'during the overlap both secrets sign', at: '2026-11-23T09:59:59.000Z', secrets: ['whsec_bmV3', 'whsec_b2xk'] },
    { name: 'after it only the new one', at: '2026-11-23T10:00:00.000Z', secrets: ['whsec_bmV3'] },
  ])('$name', ({ at, secrets }) => {
    expect(signingSecrets(subscription(), new Date(at))).toEqual(secrets);
  });

  it('lists changed fields and never a secret', () => {
    const before = subscription();
    const after = subscription({ url: 'https://other.example.com', secrets: ['whsec_bmV3ZXI=', 'whsec_bmV3'], version: 2 });
    const changes = subscriptionChanges(before, after);
    expect(changes).toEqual([
      { field: 'url', from: 'https://hooks.example.com/x', to: 'https://other.example.com' },
      { field: 'secret', from: '(previous)', to: '(rotated)' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('whsec_');
  });
});

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"detail-type":"IncidentCreated"}';
  const headers = signedHeaders([secret], 'msg_1', 1_795_000_000, body);

  it('matches the Standard Webhooks reference vector', () => {
    // From the Standard Webhooks specification's example.
    expect(signatureOf('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it.each([
    { name: 'the body as sent, in time', body, now: 1_795_000_100, ok: true },
    { name: 'a changed body', body: body.replace('Created', 'Closed'), now: 1_795_000_100, ok: false },
    { name: 'a replay six minutes later', body, now: 1_795_000_360, ok: false },
    { name: 'a timestamp from the future', body, now: 1_794_999_600, ok: false },
  ])('verifies $name → $ok', ({ body: received, now, ok }) => {
    expect(verifyWebhookSignature(secret, headers, received, now)).toBe(ok);
  });

  it('refuses another secret and missing headers', () => {
    expect(verifyWebhookSignature(newWebhookSecret(), headers, body, 1_795_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...headers, 'webhook-id': undefined }, body, 1_795_000_000)).toBe(false);
  });
});

describe('atExpression', () => {
  it.each([
    { when: '2026-11-22T10:00:00.000Z', expression: 'at(2026-11-22T10:00:00)' },
    { when: '2026-11-22T10:00:00.001Z', expression: 'at(2026-11-22T10:00:01)' },
    { when: '2026-12-31T23:59:59.500Z', expression: 'at(2027-01-01T00:00:00)' },
  ])('$when → $expression (never early)', ({ when, expression }) => {
    expect(atExpression(new Date(when))).toBe(expression);
  });
});
