/**
 * The local stand-in for the Cognito user pool's admin API
 * (`COGNITO_ENDPOINT`): AdminCreateUser, AdminAddUserToGroup,
 * AdminRemoveUserFromGroup, AdminUpdateUserAttributes,
 * AdminDeleteUserAttributes, AdminDisableUser, AdminEnableUser and
 * AdminDeleteUser over Cognito's JSON protocol, so the product's one
 * Cognito adapter runs unchanged. Its user registry is what the local token
 * issuer serves dev tokens for (`GET /local/tokens`), so an invited user
 * can sign in at once; with a data folder it survives restarts.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isRole } from '#shared/domain/roles.js';
import { readJson, sendJson } from './http-json.js';
import type { ServiceEndpoint } from './http-server.js';
import type { LocalUser } from './token-issuer.js';

interface PoolUser {
  readonly sub: string;
  readonly username: string;
  readonly attributes: Record<string, string>;
  groups: string[];
  enabled: boolean;
}

/** The local pool: users by sub, persisted to `file` when given. */
export class LocalUserPool {
  private readonly users = new Map<string, PoolUser>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) for (const user of JSON.parse(readFileSync(file, 'utf8')) as PoolUser[]) this.users.set(user.sub, user);
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify([...this.users.values()], null, 1));
  }

  private find(username: unknown): PoolUser | undefined {
    if (typeof username !== 'string') return undefined;
    return this.users.get(username) ?? [...this.users.values()].find((user) => user.username === username.toLowerCase());
  }

  /** Answers one admin operation: [status, body]. */
  handle(operation: string, input: Record<string, unknown>): [number, Record<string, unknown>] {
    const notFound: [number, Record<string, unknown>] = [400, { __type: 'UserNotFoundException', message: 'User does not exist.' }];
    if (operation === 'AdminCreateUser') {
      const username = String(input.Username ?? '').toLowerCase();
      if (!username) return [400, { __type: 'InvalidParameterException', message: 'Username is required.' }];
      if (this.find(username)) return [400, { __type: 'UsernameExistsException', message: 'An account with the given email already exists.' }];
      const attributes = Object.fromEntries(((input.UserAttributes ?? []) as { Name: string; Value: string }[]).map(({ Name, Value }) => [Name, Value]));
      const sub = randomUUID();
      this.users.set(sub, { sub, username, attributes: { ...attributes, sub }, groups: [], enabled: true });
      this.save();
      return [
        200,
        {
          User: {
            Username: sub,
            Enabled: true,
            UserStatus: 'FORCE_CHANGE_PASSWORD',
            Attributes: Object.entries({ ...attributes, sub }).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      ];
    }
    const user = this.find(input.Username);
    if (!user) return notFound;
    switch (operation) {
      case 'AdminAddUserToGroup':
        if (!user.groups.includes(String(input.GroupName))) user.groups.push(String(input.GroupName));
        break;
      case 'AdminRemoveUserFromGroup':
        user.groups = user.groups.filter((group) => group !== input.GroupName);
        break;
      case 'AdminDisableUser':
        user.enabled = false;
        break;
      case 'AdminEnableUser':
        user.enabled = true;
        break;
      case 'AdminUpdateUserAttributes':
        for (const { Name, Value } of (input.UserAttributes ?? []) as { Name: string; Value: string }[]) user.attributes[Name] = Value;
        break;
      case 'AdminDeleteUserAttributes':
        for (const name of (input.UserAttributeNames ?? []) as string[]) delete user.attributes[name];
        break;
      case 'AdminDeleteUser':
        this.users.delete(user.sub);
        break;
      default:
        return [400, { __type: 'UnknownOperationException', message: `${operation} is not emulated` }];
    }
    this.save();
    return [200, {}];
  }

  /** The enabled users as the token issuer knows users: tenant, roles, profile. */
  signInUsers(): LocalUser[] {
    return [...this.users.values()]
      .filter((user) => user.enabled && user.attributes['custom:tenantId'])
      .map((user) => ({
        userId: user.sub,
        tenantId: user.attributes['custom:tenantId'] as string,
        name: user.attributes.name ?? user.username,
        email: user.attributes.email ?? user.username,
        roles: user.groups.filter(isRole),
      }));
  }
}

/** Cognito's admin API for the product's client (`COGNITO_ENDPOINT`). */
export function localIdentityServiceEndpoints(pool: LocalUserPool): ServiceEndpoint[] {
  return [
    async (request, response) => {
      if (request.method !== 'POST' || !request.url?.startsWith('/local/cognito')) return false;
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AWSCognitoIdentityProviderService\./, '');
      const [status, body] = pool.handle(operation, await readJson(request));
      sendJson(response, status, body, 'application/x-amz-json-1.1');
      return true;
    },
  ];
}
