/**
 * Integration keys: per-tenant secrets that monitoring tools send as the
 * PagerDuty `routing_key` of `POST /alerts`. The key names its tenant and
 * itself, so one GetItem finds the stored hash; only a SHA-256 hash of the
 * secret is kept, and the secret is shown once, when the key is made.
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '#shared/domain/errors.js';
import { isSafeId } from '#shared/domain/identifiers.js';
import { type Actor, hasRole } from '#shared/domain/roles.js';

/** A stored integration key (never holding the secret itself). */
export interface IntegrationKey {
  readonly keyId: string;
  readonly tenantId: string;
  readonly name: string;
  /** SHA-256 of the secret, base64url. */
  readonly secretHash: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly version: number;
}

/** The three parts of a routing key `<tenantId>.<keyId>.<secret>`. */
export interface RoutingKeyParts {
  readonly tenantId: string;
  readonly keyId: string;
  readonly secret: string;
}

const SECRET_BYTES = 32;
const KEY_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** 32 bytes in base64url without padding are 43 characters. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: enough entropy that a fast hash is as safe as a slow one. */
export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** What is stored instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Compares digests of equal length in constant time, so response timing says nothing about the secret. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = createHash('sha256').update(secret).digest();
  const stored = Buffer.from(storedHash, 'base64url');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The routing key a monitoring tool sends: `<tenantId>.<keyId>.<secret>`. */
export function formatRoutingKey(parts: RoutingKeyParts): string {
  return `${parts.tenantId}.${parts.keyId}.${parts.secret}`;
}

/**
 * The parts of a routing key, or `null` when it is not one of ours. Tenant
 * ids may contain dots, key ids and secrets never do, so the key is split
 * from the right.
 */
export function parseRoutingKey(value: string): RoutingKeyParts | null {
  const secretDot = value.lastIndexOf('.');
  const keyDot = secretDot > 0 ? value.lastIndexOf('.', secretDot - 1) : -1;
  if (keyDot <= 0) return null;
  const parts = { tenantId: value.slice(0, keyDot), keyId: value.slice(keyDot + 1, secretDot), secret: value.slice(secretDot + 1) };
  return isSafeId(parts.tenantId) && KEY_ID.test(parts.keyId) && SECRET.test(parts.secret) ? parts : null;
}

/** A key authenticates until it is revoked. */
export function isActive(key: IntegrationKey): boolean {
  return key.revokedAt === null;
}

/** Operation context: who, when. */
export interface KeyContext {
  readonly actor: Actor;
  readonly now: string;
}

function requireTenantAdmin(actor: Actor): void {
  if (!hasRole(actor, 'tenant-admin')) throw new ForbiddenError('Only tenant admins manage integration keys.');
}

/** A new key and the routing key to show once; the secret itself is not kept. */
export function issueIntegrationKey(
  input: { name: string },
  identity: { keyId: string; secret: string },
  ctx: KeyContext,
): { key: IntegrationKey; routingKey: string } {
  requireTenantAdmin(ctx.actor);
  const key: IntegrationKey = {
    keyId: identity.keyId,
    tenantId: ctx.actor.tenantId,
    name: input.name,
    secretHash: hashSecret(identity.secret),
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    revokedAt: null,
    revokedBy: null,
    version: 1,
  };
  return { key, routingKey: formatRoutingKey({ tenantId: key.tenantId, keyId: key.keyId, secret: identity.secret }) };
}

/** The revoked key, or `null` when it was already revoked (revoking is idempotent). */
export function revokeIntegrationKey(key: IntegrationKey, ctx: KeyContext): IntegrationKey | null {
  requireTenantAdmin(ctx.actor);
  if (!isActive(key)) return null;
  return { ...key, revokedAt: ctx.now, revokedBy: ctx.actor.userId, version: key.version + 1 };
}
