/**
 * Signing of outbound webhooks, after the Standard Webhooks specification
 * (standardwebhooks.com), so receivers can verify with its libraries:
 * `webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
 * During a secret rotation both secrets sign, space-separated.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, `whsec_`-prefixed base64. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export function signatureOf(secret: string, messageId: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key(secret)).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three headers of a signed delivery. */
export function signedHeaders(secrets: readonly string[], messageId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, messageId, timestamp, body)).join(' '),
  };
}

/**
 * What a receiver does: true when one of the signatures was made with
 * `secret` over this body and the timestamp is within `toleranceSeconds`
 * (which defeats replays of captured requests).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds = Date.now() / 1000,
  toleranceSeconds = 300,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = headers['webhook-signature']?.split(' ') ?? [];
  if (!id || !Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, id, timestamp, body));
  return signatures.some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
