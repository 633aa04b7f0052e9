/**
 * The Cognito adapter of the identity-provider port, against a mocked
 * Cognito client: users are created with the immutable custom:tenantId and
 * the profile, roles are groups, a failed group grant undoes the user.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.js';
import { cognitoIdentityProvider } from '#shared/services/tenants/identity-provider.js';

const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: 'us-east-1' });
const provider = cognitoIdentityProvider(client, 'pool-1');
const identity = {
  tenantId: 'initech',
  email: 'milton@initech.example',
  name: 'Milton',
  phone: '+13125550100',
  locale: null,
  timeZone: 'America/Chicago',
  roles: ['agent', 'manager'] as const,
};

afterEach(() => cognito.reset());

describe('cognitoIdentityProvider', () => {
  it('creates the user with the tenant claim and profile, then grants each role as a group', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-1' }] } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    // Act
    const created = await provider.createUser({ ...identity, roles: [...identity.roles] });
    // Assess
    expect(created).toEqual({ userId: 'sub-1' });
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ UserPoolId: 'pool-1', Username: 'milton@initech.example', DesiredDeliveryMediums: ['EMAIL'] });
    expect(input?.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:tenantId', Value: 'initech' },
        { Name: 'email', Value: 'milton@initech.example' },
        { Name: 'phone_number', Value: '+13125550100' },
        { Name: 'zoneinfo', Value: 'America/Chicago' },
      ]),
    );
    // A missing profile field is left out, not sent empty.
    expect(input?.UserAttributes?.some((attribute) => attribute.Name === 'locale')).toBe(false);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: 'pool-1', Username: 'sub-1', GroupName: 'agent' },
      { UserPoolId: 'pool-1', Username: 'sub-1', GroupName: 'manager' },
    ]);
  });

  it('answers 409 for an e-mail in use', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));
    await expect(provider.createUser({ ...identity, roles: ['agent'] })).rejects.toBeInstanceOf(ConflictError);
  });

  it('deletes a user whose roles could not be granted, so the invitation can be sent again', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: 'sub-2' }] } });
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('throttled'));
    cognito.on(AdminDeleteUserCommand).resolves({});
    await expect(provider.createUser({ ...identity, roles: ['agent'] })).rejects.toThrow('throttled');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'pool-1', Username: 'sub-2' });
  });

  it('changes roles as group memberships, disables, and deletes (an absent user is fine)', async () => {
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: 'gone', $metadata: {} }));
    await provider.changeRoles('sub-1', ['manager'], ['agent']);
    await provider.disableUser('sub-1');
    await provider.deleteUser('sub-1');
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input.GroupName).toBe('manager');
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand)[0]?.args[0].input.GroupName).toBe('agent');
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
  });
});
