/**
 * Template tests for both stacks, plus the cdk-nag verdict. The dev app is
 * synthesized once, with real bundles (several seconds); the prod check
 * synthesizes without bundling, since only its configuration differs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_INDEXES, KEY_ATTRIBUTES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '#shared/data/table-definition.js';
import { ROLES } from '#shared/domain/roles.js';
import { TENANT_TIER_LIMITS, TENANT_TIERS } from '#shared/domain/tenant-limits.js';
import { SDK_CALL_BUDGET_MS } from '#shared/env.js';
import { type RouteSpec, routeFunctionOf } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { type ItsmFunction, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/itsm-function.js';
import type { TenantDataRoles } from '../../infra/constructs/tenant-data-roles.js';
import { buildApp, type ItsmApp } from '../../infra/itsm-app.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON, as in Template.findResources.
type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
// biome-ignore lint/suspicious/noExplicitAny: the synthesized OpenAPI document is untyped JSON too.
type Json = any;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const ROUTES = Object.values(routes) as RouteSpec[];
/** `cmdb-read-long` → `CmdbReadLong`, as construct ids are spelt. */
const pascalName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

let dev: ItsmApp;
let data: Template;
let api: Template;
let apiResources: Record<string, Resource>;

/** Synthesizes a stage; throws with the full report if cdk-nag finds an unacknowledged error. */
function synth(stage: string, options: { bundle: boolean }): ItsmApp {
  // The CLI's own switch (`aws:cdk:bundling-stacks`): an empty list synthesizes assets without bundling them.
  const built = buildApp(stage, options.bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  built.app.synth();
  return built;
}

function logicalId(element: IConstruct): string {
  const stack = Stack.of(element);
  return stack.resolve(stack.getLogicalId(element as CfnElement)) as string;
}

/** A function of the API: the one serving a route (in its practice's nested stack), or the authorizer (in the API stack). */
function itsmFunction(of: RouteSpec | 'authorizer'): ItsmFunction {
  const found = of === 'authorizer' ? dev.apiStack.node.tryFindChild('Authorizer') : dev.apiStack.routeFunctions.get(routeFunctionOf(of).entry);
  if (!found) throw new Error(`No function for ${of === 'authorizer' ? of : of.operationId}`);
  return found as ItsmFunction;
}

/** The API's OpenAPI document, as synthesized (function ARNs are CloudFormation expressions). */
// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON.
function document(): Record<string, any> {
  const [restApi] = Object.values(api.findResources('AWS::ApiGateway::RestApi'));
  return restApi?.Properties.Body;
}

/** Resources of one type across the API stack and its nested route stacks. */
function apiResourcesOf(type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(apiResources).filter(([, resource]) => resource.Type === type));
}

/** Every statement attached to a function's role. */
function statementsOf(fn: ItsmFunction): Statement[] {
  const roleId = logicalId(fn.role.node.defaultChild as IConstruct);
  return Object.values(apiResources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

/** The synthesized environment variables of a function. */
function environmentOf(fn: ItsmFunction): Record<string, unknown> {
  return apiResources[logicalId(fn.function.node.defaultChild as IConstruct)]?.Properties.Environment.Variables;
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

beforeAll(() => {
  dev = synth('dev', { bundle: true });
  data = Template.fromStack(dev.dataStack);
  api = Template.fromStack(dev.apiStack);
  // The API stack and the nested stacks holding each practice's route functions, as one map (logical ids are unique across them).
  apiResources = Object.assign(
    {},
    api.toJSON().Resources,
    ...[...dev.apiStack.routeStacks.values()].map((nested) => Template.fromStack(nested).toJSON().Resources),
  );
});

describe('data stack', () => {
  it('builds the table from the shared table definition', () => {
    data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    data.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
        { AttributeName: SORT_KEY, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : [])],
        Projection:
          index.projection.type === 'INCLUDE'
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] }
            : { ProjectionType: index.projection.type },
      })),
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    expect(GLOBAL_INDEXES).toHaveLength(7);
    const attributes = Object.values(data.findResources('AWS::DynamoDB::GlobalTable'))[0]?.Properties.AttributeDefinitions;
    expect(attributes).toEqual(expect.arrayContaining(KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' }))));
    expect(attributes).toHaveLength(KEY_ATTRIBUTES.length);
  });

  it('has a user pool with an immutable tenantId and one group per role', () => {
    data.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      DeletionProtection: 'ACTIVE',
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false })]),
    });
    const groups = Object.values(data.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    // The tenant roles, and the platform operator's group (outside every tenant).
    expect(groups.sort()).toEqual([...ROLES, 'platform-operator'].sort());
  });

  it('has an SRP app client that can read but never write the tenant', () => {
    data.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: Match.arrayWith(['custom:tenantId']),
    });
    const [client] = Object.values(data.findResources('AWS::Cognito::UserPoolClient'));
    expect(client?.Properties.WriteAttributes).not.toContain('custom:tenantId');
  });
});

describe('api stack', () => {
  it('is the OpenAPI document: no method or path resource per route, and far below 500 resources', () => {
    api.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    api.resourceCountIs('AWS::ApiGateway::Method', 0);
    api.resourceCountIs('AWS::ApiGateway::Resource', 0);
    api.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
    expect(Object.keys(api.toJSON().Resources).length).toBeLessThanOrEqual(250);
  });

  it('has one TOKEN authorizer on the Authorization header, cached 5 minutes, in the document', () => {
    const schemes = Object.values(document().components.securitySchemes).filter((scheme: Json) => scheme['x-amazon-apigateway-authtype']) as Json[];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]).toMatchObject({ type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' });
    expect(schemes[0]?.['x-amazon-apigateway-authorizer']).toMatchObject({ type: 'token', authorizerResultTtlInSeconds: 300 });
    expect(JSON.stringify(schemes[0]?.['x-amazon-apigateway-authorizer'].authorizerUri)).toContain(
      logicalId(itsmFunction('authorizer').function.node.defaultChild as IConstruct),
    );
  });

  it('wires every route once to its practice and access level function, with the authorizer on exactly the non-public ones', () => {
    const paths = document().paths as Record<string, Record<string, Json>>;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const operation = paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
      expect(operation.security).toEqual(route.roles === 'public' ? [] : [{ 'bearer-token': [], 'tenant-usage-key': [] }]);
      expect(operation['x-amazon-apigateway-integration']).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST' });
      // The function's ARN, output by its practice's nested stack (named after the function's path).
      const { practice, level } = routeFunctionOf(route);
      expect(JSON.stringify(operation['x-amazon-apigateway-integration'].uri)).toMatch(
        new RegExp(`Outputs\\.Itsmdev(?:Api)?${pascalName(practice)}Routes${pascalName(`${practice}-${level}`)}Function[0-9A-F]{8}Arn`),
      );
      const declared = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect((operation.parameters ?? []).map((p: { name: string }) => p.name)).toEqual(declared);
    }
    expect(document()['x-amazon-apigateway-request-validator']).toBe('params-only');
  });

  it('lets API Gateway invoke each function once, for any route of this API only', () => {
    const permissions = Object.values(api.findResources('AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    // One per router function and one for the authorizer.
    expect(permissions).toHaveLength(dev.apiStack.routeFunctions.size + 1);
    for (const permission of permissions)
      expect(JSON.stringify(permission.Properties.SourceArn)).toContain(logicalId(dev.apiStack.api.node.defaultChild as IConstruct));
  });

  it('serves GET /openapi.json without an authorizer', () => {
    expect(document().paths['/openapi.json'].get.security).toEqual([]);
    expect(environmentOf(itsmFunction(routes.getOpenApi)).API_BASE_PATH).toBe('/dev');
  });

  it('logs, traces and throttles the stage', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: 1000,
          ThrottlingBurstLimit: 2000,
        }),
      ],
    });
  });

  it('throttles each tenant by the usage plan of its tier: the authorizer supplies the tenant key', () => {
    expect(document()['x-amazon-apigateway-api-key-source']).toBe('AUTHORIZER');
    expect(document().components.securitySchemes['tenant-usage-key']).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
    const plans = Object.values(api.findResources('AWS::ApiGateway::UsagePlan')) as Resource[];
    expect(plans).toHaveLength(TENANT_TIERS.length);
    for (const tier of TENANT_TIERS) {
      const plan = plans.find((candidate) => candidate.Properties.UsagePlanName === `itsm-dev-${tier}`);
      expect(plan?.Properties.Throttle, tier).toEqual({ RateLimit: TENANT_TIER_LIMITS[tier].ratePerSecond, BurstLimit: TENANT_TIER_LIMITS[tier].burst });
      expect(plan?.Properties.ApiStages).toEqual([
        expect.objectContaining({
          ApiId: { Ref: logicalId(dev.apiStack.api.node.defaultChild as IConstruct) },
          Stage: { Ref: logicalId(dev.apiStack.api.deploymentStage.node.defaultChild as IConstruct) },
        }),
      ]);
    }
    const throttled = document()['x-amazon-apigateway-gateway-responses'].THROTTLED;
    expect(throttled.statusCode).toBe('429');
    expect(throttled.responseParameters['gatewayresponse.header.Retry-After']).toBe("'1'");
    expect(document()['x-amazon-apigateway-gateway-responses'].INVALID_API_KEY.statusCode).toBe('403');
  });

  it('answers gateway errors with valid problem+json', () => {
    const responses = Object.entries(document()['x-amazon-apigateway-gateway-responses'] as Record<string, Json>);
    expect(responses.map(([type]) => type)).toEqual(
      expect.arrayContaining(['UNAUTHORIZED', 'ACCESS_DENIED', 'MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX']),
    );
    for (const [, response] of responses) {
      expect(response.responseParameters['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
      // What API Gateway substitutes: messageString arrives quoted, responseType bare.
      const body = JSON.parse(
        (response.responseTemplates['application/json'] as string)
          .replaceAll('$context.error.messageString', JSON.stringify('He said "no"'))
          .replaceAll('$context.error.responseType', 'SOME_TYPE'),
      );
      expect(body.type).toMatch(/^urn:itsm:problem:[a-z-]+$/);
      expect(typeof body.title).toBe('string');
      expect(typeof body.detail).toBe('string');
      if (response.statusCode) expect(body.status).toBe(Number(response.statusCode));
    }
    const unauthorized = document()['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED;
    expect(unauthorized.statusCode).toBe('401');
    expect(unauthorized.responseTemplates['application/json']).toMatch(/"type":"urn:itsm:problem:unauthorized".*"status":401/);
  });

  it('redeploys the stage when the document changes', () => {
    const deployments = Object.keys(api.findResources('AWS::ApiGateway::Deployment'));
    expect(deployments).toHaveLength(1);
    const other = synth('dev', { bundle: false });
    // Same document, same deployment id: an unchanged API is not redeployed.
    expect(Object.keys(Template.fromStack(other.apiStack).findResources('AWS::ApiGateway::Deployment'))).toEqual(deployments);
  });

  it('outputs the URLs and ids a client needs', () => {
    for (const output of ['ApiUrl', 'OpenApiUrl', 'UserPoolId', 'UserPoolClientId']) api.hasOutput(output, {});
  });
});

describe('functions', () => {
  it('are one per practice and access level: all share runtime, architecture, tracing and a log group with retention', () => {
    const functions = Object.entries(apiResourcesOf('AWS::Lambda::Function'));
    // Ours carry the Powertools service name; anything else would be a CDK-internal provider.
    const ours = functions.filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    const entries = new Set(ROUTES.map((route) => routeFunctionOf(route).entry));
    // One per practice and access level, plus the authorizer and the CloudWatch alarm ingestion.
    expect(ours).toHaveLength(entries.size + 2);
    expect(dev.apiStack.routeFunctions.size).toBe(entries.size);
    const logGroups = apiResourcesOf('AWS::Logs::LogGroup');
    for (const [id, fn] of ours) {
      // The long variants (bulk import, impact, health) get 29 s and a whole vCPU.
      const long = /LongFunction[0-9A-F]{8}$/.test(id);
      expect(fn.Properties, id).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        MemorySize: long ? 1769 : 1024,
        Timeout: long ? 29 : 10,
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ POWERTOOLS_LOG_LEVEL: 'INFO' }) },
      });
      // Source maps in stack traces cost about a third of module load time at every cold start.
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS, id).toBeUndefined();
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays, id).toBe(30);
      // Our own roles: no AWS-managed AWSLambdaBasicExecutionRole.
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(apiResources[roleId]?.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('every function, API and background, outlives the worst case of one AWS SDK call (so an outage is a 503, not a timeout)', () => {
    const templates = [api, Template.fromStack(dev.eventsStack), ...[...dev.apiStack.routeStacks.values()].map((nested) => Template.fromStack(nested))];
    const functions = templates.flatMap((template) => Object.entries(template.findResources('AWS::Lambda::Function')));
    const ours = functions.filter(([, f]) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
    expect(ours.length).toBeGreaterThan(10);
    for (const [id, fn] of ours) expect(fn.Properties.Timeout * 1000, id).toBeGreaterThan(SDK_CALL_BUDGET_MS);
  });

  it("the authorizer gets the Cognito issuer and audience, and may read only tenants' status from the register", () => {
    const authorizer = itsmFunction('authorizer');
    const env = environmentOf(authorizer);
    expect(JSON.stringify(env.JWT_ISSUER)).toContain('https://cognito-idp.');
    expect(env.JWT_AUDIENCE).toBeDefined();
    expect(env.TABLE_NAME).toBeDefined();
    expect(actionsOf(statementsOf(authorizer)).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    const read = statementsOf(authorizer).find((statement) => JSON.stringify(statement.Action).includes('dynamodb:GetItem'));
    expect((read as { Condition?: unknown } | undefined)?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#platform#TENANT#*'] },
    });
  });

  it.each(ROUTES.map((route) => [route.operationId, route.access, route] as const))(
    '%s runs in a function without table rights of its own that may assume the %s tenant role at most',
    (_, access, route) => {
      const fn = itsmFunction(route);
      const dynamo = actionsOf(statementsOf(fn)).filter((a) => a.startsWith('dynamodb:'));
      const env = environmentOf(fn);
      const level = routeFunctionOf(route).level;
      // The second wall: every data call of a request signs as the caller's tenant (test/infra/tenant-wall.test.ts).
      expect(dynamo).toEqual([]);
      const served = ROUTES.filter((other) => routeFunctionOf(other).entry === routeFunctionOf(route).entry);
      if (served.every((other) => other.access === 'none')) {
        expect(env.TABLE_NAME).toBeUndefined();
        expect(env.TENANT_ROLE_ARN).toBeUndefined();
        return;
      }
      expect(env.TABLE_NAME).toBeDefined();
      const assumable = statementsOf(fn).filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
      expect(assumable).toHaveLength(1);
      // Read functions may assume only the read-only role, whatever they serve (a parameter of the nested stack, named after it).
      const [allowed, other] = level.startsWith('read') ? ['TenantDataRead', 'TenantDataWrite'] : ['TenantDataWrite', 'TenantDataRead'];
      expect(JSON.stringify(assumable[0]?.Resource)).toContain(allowed);
      expect(JSON.stringify(assumable[0]?.Resource)).not.toContain(other);
      if (access === 'write') expect(level.startsWith('write')).toBe(true);
    },
  );

  it('the incidents-read function can assume only the read-only tenant role, which cannot write', () => {
    const fn = itsmFunction(routes.getIncident);
    const tenantData = dev.apiStack.node.findChild('TenantData') as TenantDataRoles;
    const [assume] = statementsOf(fn).filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(JSON.stringify(assume?.Resource)).toContain('TenantDataRead');
    expect(JSON.stringify(assume?.Resource)).not.toContain('TenantDataWrite');
    const readRoleId = logicalId(tenantData.readRole.node.defaultChild as IConstruct);
    // Its only permission is an inline policy of the role.
    const readRole = api.toJSON().Resources[readRoleId] as Resource;
    const readActions = actionsOf(
      (readRole.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement),
    );
    expect(readActions).toEqual(expect.arrayContaining([...TABLE_READ_ACTIONS]));
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) expect(readActions).not.toContain(write);
  });

  it('no role has a wildcard resource except for X-Ray and reading alarm tags', () => {
    for (const r of Object.values(apiResources).filter((x) => x.Type === 'AWS::IAM::Policy')) {
      for (const s of r.Properties.PolicyDocument.Statement as Statement[]) {
        if (!JSON.stringify(s.Resource).includes('*')) continue;
        const actions = [s.Action].flat();
        const alarmTags = JSON.stringify(actions) === '["cloudwatch:ListTagsForResource"]' && JSON.stringify(s.Resource).endsWith(':alarm:*"]]}');
        expect(actions.every((a) => a.startsWith('xray:')) || alarmTags, JSON.stringify(s)).toBe(true);
      }
    }
  });
});

describe('alarm ingestion', () => {
  const ids = () => {
    const ingestion = dev.apiStack.alarmIngestion;
    return {
      fn: logicalId(ingestion.handler.function.node.defaultChild as IConstruct),
      queue: logicalId(ingestion.deadLetterQueue.node.defaultChild as IConstruct),
      rule: logicalId(ingestion.rule.node.defaultChild as IConstruct),
    };
  };

  it('has a rule on the default bus for CloudWatch alarm state changes, with retries and a dead-letter queue', () => {
    const { fn, queue, rule } = ids();
    const props = apiResources[rule]?.Properties ?? {};
    // No EventBusName: the default bus, where AWS services publish.
    expect(props.EventBusName).toBeUndefined();
    expect(props.EventPattern).toEqual({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] });
    expect(props.State).toBe('ENABLED');
    expect(props.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
      }),
    ]);
    api.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [rule, 'Arn'] },
    });
  });

  it('dead-letters failed invocations too, after two Lambda retries within an hour', () => {
    const { fn, queue } = ids();
    api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  it('has an encrypted, TLS-only dead-letter queue that only the rule and the function may send to', () => {
    const { queue, rule } = ids();
    expect(apiResources[queue]?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const [policy] = Object.values(apiResources).filter(
      (r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: queue }]),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as (Statement & { Condition?: unknown; Principal?: unknown })[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
        }),
      ]),
    );
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    const { queue } = ids();
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('runs the alarm handler with table write access, alarm tag reads, and DLQ sends only', () => {
    const { ingestion, fn } = { ingestion: dev.apiStack.alarmIngestion, fn: ids().fn };
    expect(apiResources[fn]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    expect(environmentOf(ingestion.handler).TABLE_NAME).toBeDefined();
    const statements = statementsOf(ingestion.handler);
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual([...TABLE_WRITE_ACTIONS]);
    const tagRead = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('cloudwatch:')));
    expect(tagRead).toEqual([
      expect.objectContaining({
        Action: 'cloudwatch:ListTagsForResource',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
      }),
    ]);
    const sqs = actionsOf(statements).filter((a) => a.startsWith('sqs:'));
    expect(sqs.every((a) => a === 'sqs:SendMessage' || a === 'sqs:GetQueueAttributes' || a === 'sqs:GetQueueUrl')).toBe(true);
    expect(sqs).toContain('sqs:SendMessage');
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('leaves no unacknowledged finding in the validation report', () => {
    const report = JSON.parse(readFileSync(join(dev.app.outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((p: { pluginName: string; violations: { ruleName: string; severity: string }[] }) =>
      p.violations.map((v) => `${p.pluginName}: ${v.severity} ${v.ruleName}`),
    );
    expect(violations).toEqual([]);
  });

  it('finds nothing when run directly over the app (errors and warnings)', () => {
    const result = new AwsSolutionsChecks().validateScope(dev.app);
    expect(result.violations.map((v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(' ')}`)).toEqual([]);
  });

  it('emits no construct warnings or errors', () => {
    for (const stack of [dev.dataStack, dev.apiStack]) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
      expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    }
  });

  it('passes in prod without the non-prod acknowledgments (Plus tier, threat protection)', () => {
    const prod = synth('prod', { bundle: false });
    expect(new AwsSolutionsChecks().validateScope(prod.app).violations).toEqual([]);
    Template.fromStack(prod.dataStack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });
});
