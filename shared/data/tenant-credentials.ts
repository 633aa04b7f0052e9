/**
 * Credentials confined to one tenant: `sts:AssumeRole` into the tenant
 * data role with the session tag `tenantId=<id>`, which the role's policy
 * turns into `dynamodb:LeadingKeys` = `TENANT#<id>#*`. One AssumeRole per
 * tenant per container, reused until five minutes before it expires (a
 * Lambda container serves a request in seconds, so a request never
 * outlives its credentials).
 * @module
 */
import type { STSClient } from '@aws-sdk/client-sts';

/** Refresh this long before expiry, as the SDK does for its own credentials. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** One hour: the longest a role chained from a Lambda role may last, and a rare AssumeRole. */
const SESSION_SECONDS = 3600;

/** The session tag the tenant roles' policies read as `aws:PrincipalTag/tenantId`. */
export const TENANT_TAG = 'tenantId';

/** A role session name from a tenant id: STS allows `[\w+=,.@-]`, 2 to 64 characters. */
export function sessionNameOf(tenantId: string): string {
  return `tenant-${tenantId.replace(/[^\w+=,.@-]/g, '_')}`.slice(0, 64);
}

/** What an SDK client's `credentials` provider returns (the SDK's `AwsCredentialIdentity`). */
export interface TenantCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Per-tenant temporary credentials for one role, cached for the container's life. */
export class TenantCredentialCache {
  private readonly cache = new Map<string, Promise<TenantCredentials>>();

  constructor(
    private readonly roleArn: string,
    private sts?: Pick<STSClient, 'send'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The tenant's credentials; a concurrent first call shares the one AssumeRole. */
  async credentialsFor(tenantId: string): Promise<TenantCredentials> {
    const cached = this.cache.get(tenantId);
    if (cached) {
      const credentials = await cached;
      if (!credentials.expiration || credentials.expiration.getTime() - this.now() > REFRESH_MARGIN_MS) return credentials;
      // Another caller may already have replaced the stale entry.
      if (this.cache.get(tenantId) !== cached) return this.credentialsFor(tenantId);
    }
    const pending = this.assume(tenantId);
    this.cache.set(tenantId, pending);
    // A failed AssumeRole is not cached: the next request tries again.
    pending.catch(() => {
      if (this.cache.get(tenantId) === pending) this.cache.delete(tenantId);
    });
    return pending;
  }

  private async assume(tenantId: string): Promise<TenantCredentials> {
    // The STS client loads on the first tenant's first request, not at init: a cold start that
    // serves a request pays for it either way, and init (measured by the bench) stays the SDK's own.
    const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
    this.sts ??= new STSClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
    const { Credentials: credentials } = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.roleArn,
        RoleSessionName: sessionNameOf(tenantId),
        DurationSeconds: SESSION_SECONDS,
        Tags: [{ Key: TENANT_TAG, Value: tenantId }],
      }),
    );
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole into ${this.roleArn} returned no credentials`);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  }
}
