/**
 * The IAM half of the tenant wall, proven offline: the synthesized
 * TenantDataRead / TenantDataWrite policies are evaluated by a policy
 * simulator (`@cloud-copilot/iam-simulate`) for the requests DynamoDB would
 * authorise, then the API stack's wiring is checked on the synthesized app
 * (without bundling: only the templates matter here).
 */

import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_INDEXES } from '#shared/data/table-definition.js';
import { type RouteFunctionSpec, type RouteSpec, routeFunctionsOf } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { TenantDataRoles } from '../../infra/constructs/tenant-data-roles.js';
import { buildApp, type ItsmApp } from '../../infra/itsm-app.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/itsm-wall`;

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON.
type Json = any;
type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

let resources: Record<string, Json>;
let readRoleId: string;
let writeRoleId: string;
let functionRoleId: string;

function logicalId(element: IConstruct): string {
  const stack = Stack.of(element);
  return stack.resolve(stack.getLogicalId(element as CfnElement)) as string;
}

/** The concrete value of a synthesized expression, as CloudFormation would make it in this account. */
function resolve(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolve);
  if (!value || typeof value !== 'object') return value;
  if ('Ref' in value) return { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT }[value.Ref as string] ?? value.Ref;
  if ('Fn::Join' in value) return (resolve(value['Fn::Join'][1]) as string[]).join(value['Fn::Join'][0]);
  if ('Fn::GetAtt' in value) {
    const [id] = value['Fn::GetAtt'] as [string, string];
    const type = resources[id]?.Type;
    if (type === 'AWS::DynamoDB::GlobalTable') return TABLE_ARN;
    if (type === 'AWS::IAM::Role') return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, resolve(member)]));
}

const roleArn = (id: string) => `arn:aws:iam::${ACCOUNT}:role/${id}`;
const permissionsOf = (roleId: string) => resolve(resources[roleId].Properties.Policies[0].PolicyDocument);
const trustOf = (roleId: string) => resolve(resources[roleId].Properties.AssumeRolePolicyDocument);
/** The identity policies attached to a role (AWS::IAM::Policy resources naming it). */
const policiesOf = (roleId: string) =>
  Object.values(resources)
    .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .map((r: Json, i) => ({ name: `policy${i}`, policy: resolve(r.Properties.PolicyDocument) }));

/** A DynamoDB request by a session of `roleId` tagged `tenantId`, with the leading keys DynamoDB would report. */
async function dynamodb(roleId: string, action: string, leadingKeys: string[], options: { tenantId?: string; resource?: string } = {}): Promise<Decision> {
  const simulation: Simulation = {
    identityPolicies: [{ name: 'TenantItems', policy: permissionsOf(roleId) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleId}/tenant-session`,
      resource: { accountId: ACCOUNT, resource: options.resource ?? TABLE_ARN },
      contextVariables: {
        ...(options.tenantId === undefined ? {} : { 'aws:PrincipalTag/tenantId': options.tenantId }),
        ...(leadingKeys.length > 0 ? { 'dynamodb:LeadingKeys': leadingKeys } : {}),
      },
    },
  };
  return decisionOf(simulation);
}

async function decisionOf(simulation: Simulation): Promise<Decision> {
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult as Decision;
}

/** `sts:AssumeRole` (or TagSession) into `targetId` by the function role, with the given session tags and caller tags. */
async function assume(
  targetId: string,
  action: 'sts:AssumeRole' | 'sts:TagSession',
  options: { sessionTags?: Record<string, string>; callerTags?: Record<string, string> },
) {
  const sessionTags = options.sessionTags ?? {};
  return decisionOf({
    identityPolicies: policiesOf(functionRoleId),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustOf(targetId),
    request: {
      action,
      principal: roleArn(functionRoleId),
      resource: { accountId: ACCOUNT, resource: roleArn(targetId) },
      contextVariables: {
        ...Object.fromEntries(Object.entries(sessionTags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
        ...(Object.keys(sessionTags).length > 0 ? { 'aws:TagKeys': Object.keys(sessionTags) } : {}),
        ...Object.fromEntries(Object.entries(options.callerTags ?? {}).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
      },
    },
  });
}

beforeAll(() => {
  // The construct alone, in a stack with a real table: its templates resolve to concrete ARNs.
  const app = new App();
  const stack = new Stack(app, 'Wall', { env: { account: ACCOUNT, region: REGION } });
  const table = new TableV2(stack, 'Table', {
    tableName: 'itsm-wall',
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    globalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
    })),
  });
  const roles = new TenantDataRoles(stack, 'TenantData', { table });
  const functionRole = new Role(stack, 'FunctionRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  roles.grantAssume(functionRole, 'write');
  resources = Template.fromStack(stack).toJSON().Resources;
  readRoleId = logicalId(roles.readRole.node.defaultChild as IConstruct);
  writeRoleId = logicalId(roles.writeRole.node.defaultChild as IConstruct);
  functionRoleId = logicalId(functionRole.node.defaultChild as IConstruct);
});

describe('TenantDataRead / TenantDataWrite, in the policy simulator', () => {
  it("allows a tenant's session its own item", async () => {
    expect(await dynamodb(readRoleId, 'dynamodb:GetItem', ['TENANT#acme#INCIDENT#1'], { tenantId: 'acme' })).toBe('Allowed');
    expect(await dynamodb(writeRoleId, 'dynamodb:PutItem', ['TENANT#acme#INCIDENT#1'], { tenantId: 'acme' })).toBe('Allowed');
    expect(await dynamodb(writeRoleId, 'dynamodb:GetItem', ['TENANT#acme#INCIDENT#1'], { tenantId: 'acme' })).toBe('Allowed');
  });

  it("denies another tenant's session the same item", async () => {
    expect(await dynamodb(readRoleId, 'dynamodb:GetItem', ['TENANT#acme#INCIDENT#1'], { tenantId: 'globex' })).toBe('ImplicitlyDenied');
    expect(await dynamodb(writeRoleId, 'dynamodb:UpdateItem', ['TENANT#acme#INCIDENT#1'], { tenantId: 'globex' })).toBe('ImplicitlyDenied');
  });

  it('denies a tenant whose id only starts like the owner’s, and a session without the tag', async () => {
    expect(await dynamodb(readRoleId, 'dynamodb:GetItem', ['TENANT#acme-corp#INCIDENT#1'], { tenantId: 'acme' })).toBe('ImplicitlyDenied');
    expect(await dynamodb(readRoleId, 'dynamodb:GetItem', ['TENANT#acme#INCIDENT#1'])).toBe('ImplicitlyDenied');
  });

  it('denies every write to the read role, even on its own tenant', async () => {
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem']) {
      expect(await dynamodb(readRoleId, action, ['TENANT#acme#INCIDENT#1'], { tenantId: 'acme' }), action).toBe('ImplicitlyDenied');
    }
  });

  it("confines an index Query to the tenant's own leading key", async () => {
    const index = `${TABLE_ARN}/index/GSI7`;
    expect(await dynamodb(readRoleId, 'dynamodb:Query', ['TENANT#acme#NUMBER#INC0001001'], { tenantId: 'acme', resource: index })).toBe('Allowed');
    expect(await dynamodb(readRoleId, 'dynamodb:Query', ['TENANT#globex#NUMBER#INC0001001'], { tenantId: 'acme', resource: index })).toBe('ImplicitlyDenied');
  });

  it('denies a key without a tenant prefix, a batch mixing tenants, and a request with no leading key (Scan-like)', async () => {
    expect(await dynamodb(writeRoleId, 'dynamodb:GetItem', ['INCIDENT#1'], { tenantId: 'acme' })).toBe('ImplicitlyDenied');
    expect(await dynamodb(writeRoleId, 'dynamodb:BatchGetItem', ['TENANT#acme#INCIDENT#1', 'TENANT#globex#INCIDENT#1'], { tenantId: 'acme' })).toBe(
      'ImplicitlyDenied',
    );
    expect(await dynamodb(writeRoleId, 'dynamodb:Query', [], { tenantId: 'acme' })).toBe('ImplicitlyDenied');
    expect(await dynamodb(writeRoleId, 'dynamodb:Scan', [], { tenantId: 'acme' })).toBe('ImplicitlyDenied');
  });
});

describe('assuming a tenant role, in the policy simulator', () => {
  const tagged = { 'itsm-tenant-data-write': 'true' };

  it('lets a granted function role assume the write role with a tenantId session tag', async () => {
    expect(await assume(writeRoleId, 'sts:AssumeRole', { sessionTags: { tenantId: 'acme' }, callerTags: tagged })).toBe('Allowed');
    expect(await assume(writeRoleId, 'sts:TagSession', { sessionTags: { tenantId: 'acme' }, callerTags: tagged })).toBe('Allowed');
  });

  it('refuses without the tenantId tag, with an empty or an extra tag, without the caller tag, and the role not granted', async () => {
    expect(await assume(writeRoleId, 'sts:AssumeRole', { callerTags: tagged })).not.toBe('Allowed');
    expect(await assume(writeRoleId, 'sts:AssumeRole', { sessionTags: { tenantId: '' }, callerTags: tagged })).not.toBe('Allowed');
    expect(await assume(writeRoleId, 'sts:TagSession', { sessionTags: { tenantId: 'acme', admin: 'true' }, callerTags: tagged })).not.toBe('Allowed');
    expect(await assume(writeRoleId, 'sts:AssumeRole', { sessionTags: { tenantId: 'acme' } })).not.toBe('Allowed');
    expect(await assume(readRoleId, 'sts:AssumeRole', { sessionTags: { tenantId: 'acme' }, callerTags: { 'itsm-tenant-data-read': 'true' } })).not.toBe(
      'Allowed',
    );
  });
});

describe('the API stack wiring (dev, not bundled)', () => {
  let dev: ItsmApp;
  beforeAll(() => {
    dev = buildApp('dev', { context: { 'aws:cdk:bundling-stacks': [] } });
    dev.app.synth();
  });

  it('gives every router function no table rights of its own, and TENANT_ROLE_ARN of the tenant role its access level allows', () => {
    const parent = Template.fromStack(dev.apiStack).toJSON().Resources as Record<string, Json>;
    const tenantData = dev.apiStack.node.findChild('TenantData') as TenantDataRoles;
    const roleIds = {
      read: logicalId(tenantData.readRole.node.defaultChild as IConstruct),
      write: logicalId(tenantData.writeRole.node.defaultChild as IConstruct),
    };
    const nestedParameters = Object.values(parent)
      .filter((r: Json) => r.Type === 'AWS::CloudFormation::Stack')
      .map((r: Json) => r.Properties.Parameters ?? {});
    const functions = routeFunctionsOf(Object.values(routes) as RouteSpec[]);
    expect(dev.apiStack.routeFunctions.size).toBe(functions.size);
    for (const [entry, fn] of dev.apiStack.routeFunctions) {
      const { access, level } = functions.get(entry) as RouteFunctionSpec;
      const template = Template.fromStack(Stack.of(fn)).toJSON().Resources as Record<string, Json>;
      const fnResource = template[logicalId(fn.function.node.defaultChild as IConstruct)];
      const value = fnResource.Properties.Environment.Variables.TENANT_ROLE_ARN;
      const roleId = logicalId(fn.role.node.defaultChild as IConstruct);
      const tags = (template[roleId].Properties.Tags ?? []) as { Key: string; Value: string }[];
      // The second wall: the function's own role cannot touch the table at all.
      const ownActions = Object.values(template)
        .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(roleId))
        .flatMap((r: Json) => r.Properties.PolicyDocument.Statement.flatMap((statement: Json) => [statement.Action].flat()));
      expect(
        ownActions.filter((action: string) => action.startsWith('dynamodb:')),
        entry,
      ).toEqual([]);
      if (access === 'none') {
        expect(value, entry).toBeUndefined();
        expect(
          tags.filter((tag) => tag.Key.startsWith('itsm-tenant-data')),
          entry,
        ).toEqual([]);
        continue;
      }
      // Read functions (read, read-long) get the read-only role, whatever they serve.
      expect(level.startsWith(access), entry).toBe(true);
      // Inside the nested stack the ARN is a parameter the parent fills with the role's ARN.
      const parameter = nestedParameters.find((p) => value?.Ref in p)?.[value.Ref];
      expect(parameter, entry).toEqual({ 'Fn::GetAtt': [roleIds[access], 'Arn'] });
      expect(tags, entry).toContainEqual({ Key: `itsm-tenant-data-${access}`, Value: 'true' });
      expect(fnResource.Properties.Environment.Variables.TABLE_NAME, entry).toBeDefined();
    }
  });

  it('keeps cdk-nag clean', () => {
    expect(new AwsSolutionsChecks().validateScope(dev.app).violations).toEqual([]);
  });
});
