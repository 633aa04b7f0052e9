/**
 * The identity-provider port: where a tenant's people sign in. In AWS the
 * Cognito user pool ({@link cognitoIdentityProvider}): a user is created
 * with `AdminCreateUser` carrying the immutable `custom:tenantId` (the
 * tenant the token will name, set by us and never by the user), and roles
 * are the pool's groups. Locally the same adapter talks to the local
 * stand-in (`COGNITO_ENDPOINT`, `infra/local/local-identity.ts`), whose
 * registry the local token issuer reads, so invited users get dev tokens.
 * @module
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError } from '#shared/domain/errors.js';
import type { TenantRole } from '#shared/domain/roles.js';
import { awsClientConfig, requiredEnv } from '#shared/env.js';
import { traced } from '#shared/observability/tracer.js';

/** A person to create: the tenant and roles are ours to set; the rest is the profile. */
export interface NewIdentity {
  readonly tenantId: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  readonly locale: string | null;
  readonly timeZone: string | null;
  readonly roles: readonly TenantRole[];
}

export interface IdentityProvider {
  /** Creates the sign-in identity and sends the invitation; answers the user id tokens will carry (`sub`). 409 if the e-mail is taken. */
  createUser(identity: NewIdentity): Promise<{ userId: string }>;
  /** Grants `add` and withdraws `remove` (role groups). */
  changeRoles(userId: string, add: readonly TenantRole[], remove: readonly TenantRole[]): Promise<void>;
  /** Sets (or, with `null`, removes) profile attributes the identity carries. */
  updateProfile(userId: string, profile: Partial<Record<'name' | 'phone' | 'locale' | 'timeZone', string | null>>): Promise<void>;
  /** The user can no longer sign in. */
  disableUser(userId: string): Promise<void>;
  /** Undoes {@link disableUser} (a disable whose record write failed). */
  enableUser(userId: string): Promise<void>;
  /** Removes the identity (a failed invitation's, or a deleted tenant's users); an absent one is fine. */
  deleteUser(userId: string): Promise<void>;
}

/** The Cognito adapter: `userPoolId` the pool whose groups are the roles. */
export function cognitoIdentityProvider(client: Pick<CognitoIdentityProviderClient, 'send'>, userPoolId: string): IdentityProvider {
  const UserPoolId = userPoolId;
  return {
    async createUser(identity) {
      const attributes: [string, string | null][] = [
        ['email', identity.email],
        ['email_verified', 'true'],
        ['name', identity.name],
        ['phone_number', identity.phone],
        ['locale', identity.locale],
        ['zoneinfo', identity.timeZone],
        ['custom:tenantId', identity.tenantId],
      ];
      let userId: string | undefined;
      try {
        const created = await client.send(
          new AdminCreateUserCommand({
            UserPoolId,
            // The pool signs in by e-mail: the username is the address, the subject a generated id.
            Username: identity.email,
            UserAttributes: attributes.flatMap(([Name, Value]) => (Value === null ? [] : [{ Name, Value }])),
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        userId = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      } catch (error) {
        if (error instanceof UsernameExistsException) throw new ConflictError(`A user with e-mail ${identity.email} exists already.`, { field: 'email' });
        throw error;
      }
      if (!userId) throw new Error('Cognito created a user without a sub');
      try {
        for (const role of identity.roles) await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: userId, GroupName: role }));
      } catch (error) {
        // A user without their roles is no invitation: undo it, so the same e-mail can be invited again.
        await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: userId })).catch(() => undefined);
        throw error;
      }
      return { userId };
    },
    async changeRoles(userId, add, remove) {
      for (const role of add) await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: userId, GroupName: role }));
      for (const role of remove) await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: userId, GroupName: role }));
    },
    async disableUser(userId) {
      await client.send(new AdminDisableUserCommand({ UserPoolId, Username: userId }));
    },
    async updateProfile(userId, profile) {
      const names = { name: 'name', phone: 'phone_number', locale: 'locale', timeZone: 'zoneinfo' } as const;
      const entries = (Object.keys(profile) as (keyof typeof names)[]).map((field) => [names[field], profile[field] ?? null] as const);
      const set = entries.flatMap(([Name, Value]) => (Value === null ? [] : [{ Name, Value }]));
      const removed = entries.flatMap(([Name, Value]) => (Value === null ? [Name] : []));
      if (set.length > 0) await client.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username: userId, UserAttributes: set }));
      if (removed.length > 0) await client.send(new AdminDeleteUserAttributesCommand({ UserPoolId, Username: userId, UserAttributeNames: removed }));
    },
    async enableUser(userId) {
      await client.send(new AdminEnableUserCommand({ UserPoolId, Username: userId }));
    },
    async deleteUser(userId) {
      try {
        await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: userId }));
      } catch (error) {
        if (!(error instanceof UserNotFoundException)) throw error;
      }
    },
  };
}

let configured: IdentityProvider | undefined;

/** The deployment's identity provider: the user pool `USER_POOL_ID` (locally at `COGNITO_ENDPOINT`). */
export function identityProvider(): IdentityProvider {
  configured ??= cognitoIdentityProvider(traced(new CognitoIdentityProviderClient(awsClientConfig('COGNITO_ENDPOINT'))), requiredEnv('USER_POOL_ID'));
  return configured;
}
