import {
  ArnFormat,
  CfnOutput,
  CrossStackReferences,
  Duration,
  NestedStack,
  ReferenceStrength,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiDefinition,
  type CfnRestApi,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  SpecRestApi,
  UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TENANT_TIER_LIMITS, TENANT_TIERS, type TenantTier } from '#shared/domain/tenant-limits.js';
import { type RouteSpec, routeFunctionOf, routeFunctionsOf } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { AlarmIngestion } from '../constructs/alarm-ingestion.js';
import { type GatewayProblem, gatewayDocument } from '../constructs/gateway-document.js';
import { ItsmFunction } from '../constructs/itsm-function.js';
import { TenantDataRoles } from '../constructs/tenant-data-roles.js';
import { letNameExportLocation } from '../constructs/tenant-exports.js';

/** Props of {@link ApiStack}. */
export interface ApiStackProps extends StackProps {
  /** Deployment stage; also the API Gateway stage name and the base path of every URL. */
  readonly stage: string;
  /** The single table (from the data stack). */
  readonly table: ITableV2;
  /** Issuer of the tokens the authorizer accepts. */
  readonly userPool: IUserPool;
  /** App client whose id is the expected token audience. */
  readonly userPoolClient: IUserPoolClient;
  /**
   * Stage-wide steady-state request rate per method (requests per second):
   * the ceiling over all tenants together; each tenant is held to its
   * tier's usage plan below it.
   * @default 1000
   */
  readonly throttlingRateLimit?: number;
  /**
   * Stage-wide burst per method.
   * @default 2000
   */
  readonly throttlingBurstLimit?: number;
}

/**
 * The stateless half: the REST API, its Lambda token authorizer, and one
 * function per route of `functions/routes.ts` (the same table the local
 * server and the OpenAPI generator read, so they cannot disagree).
 *
 * Throttling is per tenant: one usage plan per tenant tier (rate and burst
 * from `TENANT_TIER_LIMITS`), and the authorizer returns the tenant's API
 * key as `usageIdentifierKey` (the document's API key source is
 * AUTHORIZER), so each tenant has a bucket of its own and a flooding tenant
 * is answered 429 while the others are not. A tenant's key is created at
 * onboarding and added to its tier's plan (docs/throttling.md); the plan
 * ids are outputs. The stage-wide limit is the ceiling over all tenants.
 */
export class ApiStack extends Stack {
  readonly api: SpecRestApi;
  /** The router functions by entry (`incidents/read` …): one per practice and access level. */
  readonly routeFunctions: ReadonlyMap<string, ItsmFunction>;
  /** CloudWatch alarms → incidents (default-bus rule, function, DLQ and its alarm). */
  readonly alarmIngestion: AlarmIngestion;
  /** The nested stack holding each practice's router functions, by practice (`incidents`, `changes` …). */
  readonly routeStacks = new Map<string, NestedStack>();
  /** One usage plan per tenant tier: onboarding adds the tenant's key to its tier's plan. */
  readonly usagePlans = new Map<TenantTier, UsagePlan>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Weak references (Fn::GetStackOutput, no Export/ImportValue): the data stack can change its
    // outputs without the "export in use" deadlock. Its resources are retained and
    // deletion-protected, so the coupling a strong reference adds buys nothing.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });

    const authorizerFunction = new ItsmFunction(this, 'Authorizer', {
      handler: 'auth/authorizer',
      serviceName: 'itsm-authorizer',
      environment: {
        JWT_ISSUER: `https://cognito-idp.${this.region}.amazonaws.com/${props.userPool.userPoolId}`,
        JWT_AUDIENCE: props.userPoolClient.userPoolClientId,
        TABLE_NAME: props.table.tableName,
      },
    });
    // The authorizer reads a tenant's status (suspended?) from the platform's tenant register, and nothing else.
    authorizerFunction.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#platform#TENANT#*'] } },
      }),
    );

    // One function per practice and access level (`incidents-read`, `incidents-write` …), each in its
    // practice's nested stack with a role of its own; the route table says which routes each serves.
    // The second tenant wall (docs/tenant-isolation.md): router functions hold no table rights of their
    // own; every data call of a request signs as the caller's tenant, through a role whose policy only
    // matches keys under `TENANT#<that tenant>#` (dynamodb:LeadingKeys on the session tag).
    const tenantData = new TenantDataRoles(this, 'TenantData', { table: props.table });
    const table = Object.values(routes) as RouteSpec[];
    const functionsByEntry = new Map<string, ItsmFunction>();
    for (const [entry, router] of routeFunctionsOf(table)) {
      const { practice, level, name, routes: served, access, timeoutSeconds } = router;
      const fn = new ItsmFunction(this.routesOf(practice), pascalCase(`${practice}-${level}`), {
        handler: entry,
        router,
        serviceName: `itsm-${name}`,
        environment: {
          ...(access === 'none' ? {} : { TABLE_NAME: props.table.tableName }),
          ...(served.some((route) => route.operationId === routes.getOpenApi.operationId) ? { API_BASE_PATH: `/${props.stage}` } : {}),
        },
        // A long route (bulk import, impact, health) is CPU-bound: 1,769 MB is one whole vCPU.
        ...(timeoutSeconds > 0 ? { timeout: Duration.seconds(timeoutSeconds), memorySize: 1769 } : {}),
      });
      // Read functions may assume only the read-only tenant role.
      if (access !== 'none') fn.function.addEnvironment('TENANT_ROLE_ARN', tenantData.grantAssume(fn.role, access));
      // People and tenants: the write functions invite, re-role and disable users in the pool, and name export locations.
      if (practice === 'tenants' && access === 'write') {
        props.userPool.grant(
          fn.role,
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminRemoveUserFromGroup',
          'cognito-idp:AdminUpdateUserAttributes',
          'cognito-idp:AdminDeleteUserAttributes',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminDeleteUser',
        );
        fn.function.addEnvironment('USER_POOL_ID', props.userPool.userPoolId);
        letNameExportLocation(fn, props.stage);
      }
      for (const workflow of new Set(served.flatMap((route) => (route.completesWorkflowTasks ? [route.completesWorkflowTasks] : [])))) {
        this.letCompleteTasks(fn, workflow, props.stage);
      }
      functionsByEntry.set(entry, fn);
    }

    // The API is its OpenAPI document: routes are not CloudFormation resources, so the stack grows
    // by a nested stack and two invoke permissions per practice, whatever its route count.
    const document = gatewayDocument({
      title: `itsm-${props.stage}`,
      routes: table,
      functionArn: (route) => (functionsByEntry.get(routeFunctionOf(route).entry) as ItsmFunction).function.functionArn,
      authorizerArn: authorizerFunction.function.functionArn,
      region: this.region,
      problems: PROBLEMS,
    });
    this.api = new SpecRestApi(this, 'Api', {
      restApiName: `itsm-${props.stage}`,
      description: `ITSM HTTP API (${props.stage})`,
      apiDefinition: ApiDefinition.fromInline(document),
      // Regional: API clients call it directly; a WAF or CloudFront can be put in front later.
      endpointTypes: [EndpointType.REGIONAL],
      minCompressionSize: Size.kibibytes(1),
      // Execution logging needs the account-level CloudWatch role; keep it when the stack goes,
      // since other APIs in the account rely on the same setting.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        tracingEnabled: true,
        metricsEnabled: true,
        // ERROR, not INFO: INFO writes several execution-log lines per request (cost) and request details.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 1000,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 2000,
      },
    });

    for (const tier of TENANT_TIERS) {
      const limits = TENANT_TIER_LIMITS[tier];
      const plan = new UsagePlan(this, `UsagePlan${pascalCase(tier)}`, {
        name: `itsm-${props.stage}-${tier}`,
        description: `Tenants on the ${tier} tier: ${limits.ratePerSecond} requests/s, burst ${limits.burst}, per tenant.`,
        throttle: { rateLimit: limits.ratePerSecond, burstLimit: limits.burst },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      this.usagePlans.set(tier, plan);
      new CfnOutput(this, `UsagePlanId${pascalCase(tier)}`, { value: plan.usagePlanId, description: `Usage plan of ${tier} tenants: add a tenant's key here` });
    }

    // One invoke permission per function (any method and path of this API), and one for the authorizer.
    for (const [entry, fn] of functionsByEntry) {
      new CfnPermission(this, `Invoke${pascalCase(entry.replace('/', '-'))}`, {
        action: 'lambda:InvokeFunction',
        functionName: fn.function.functionArn,
        principal: 'apigateway.amazonaws.com',
        sourceArn: this.api.arnForExecuteApi('*', '/*', '*'),
      });
    }
    new CfnPermission(this, 'InvokeAuthorizer', {
      action: 'lambda:InvokeFunction',
      functionName: authorizerFunction.function.functionArn,
      principal: 'apigateway.amazonaws.com',
      sourceArn: Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.restApiId, resourceName: 'authorizers/*' }),
    });
    this.routeFunctions = functionsByEntry;
    // An inline definition does not change the deployment's logical id by itself: without this, a
    // changed document would update the API but leave the stage on the old deployment.
    this.api.latestDeployment?.addToLogicalId({
      document: this.api.node.defaultChild && Stack.of(this).resolve((this.api.node.defaultChild as CfnRestApi).body),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Request validation is declared in the OpenAPI document (x-amazon-apigateway-request-validators: path parameters); bodies are validated by the handlers against the route zod schemas with field-level problem+json.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Operations use a Lambda token authorizer (in the OpenAPI document) that verifies the Cognito ID tokens with aws-jwt-verify and also enforces the custom:tenantId claim and token_use, which a Cognito authorizer cannot. Public operations (security: []) are public by design: roles "public" in the route table.',
    });

    this.alarmIngestion = new AlarmIngestion(this, 'AlarmIngestion', { table: props.table });

    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL yet: requests are authenticated and throttled per stage; a regional web ACL (with rate-based rules per tenant) is planned before the first external tenant.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The account-level API Gateway logging role; AWS documents this managed policy for it and it is scoped to CloudWatch Logs.',
      });
    }

    // RestApi adds an unnamed `Endpoint` output; ours below replaces it with a stable name.
    this.api.node.tryRemoveChild('Endpoint');
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API (ends with the stage)' });
    new CfnOutput(this, 'OpenApiUrl', { value: this.api.urlForPath(routes.getOpenApi.path), description: 'The OpenAPI 3.1 document' });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: props.userPoolClient.userPoolClientId, description: 'App client id = JWT audience' });
  }

  /** The nested stack of a practice's route functions, created on first use. */
  private routesOf(practice: string): NestedStack {
    let stack = this.routeStacks.get(practice);
    if (!stack) {
      stack = new NestedStack(this, `${pascalCase(practice)}Routes`, { description: `ITSM route functions: ${practice}` });
      this.routeStacks.set(practice, stack);
    }
    return stack;
  }

  /**
   * A route that completes a workflow's human tasks (a manual step
   * confirmed): SendTaskSuccess/Failure on that one state machine, named
   * by convention (`itsm-<stage>-<workflow>`) so this stack needs no
   * reference to the events stack that owns it.
   */
  private letCompleteTasks(fn: ItsmFunction, workflow: string, stage: string): void {
    const stateMachineArn = Stack.of(fn).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: `itsm-${stage}-${workflow}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [stateMachineArn] }));
  }
}

/**
 * One JSON object per request; fields chosen to trace a call to a tenant, a
 * route and a Lambda. Every value is quoted because API Gateway writes `-`
 * for an absent number, which would break unquoted JSON.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    resource: '$context.resourcePath',
    path: '$context.path',
    status: '$context.status',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    responseLength: '$context.responseLength',
    principal: '$context.authorizer.principalId',
    authorizerError: '$context.authorizer.error',
    error: '$context.error.message',
    errorType: '$context.error.responseType',
    xrayTraceId: '$context.xrayTraceId',
  }),
);

/**
 * Errors API Gateway answers itself, in the same RFC 9457 shape as the
 * handlers' (`shared/http/problem.ts`). Templates only substitute variables:
 * the document builder turns each into a gateway response.
 */
const PROBLEMS: readonly GatewayProblem[] = [
  { responseType: 'UNAUTHORIZED', status: 401, problem: 'unauthorized', title: 'Authentication required', headers: { 'WWW-Authenticate': 'Bearer' } },
  { responseType: 'ACCESS_DENIED', status: 403, problem: 'forbidden', title: 'Not allowed' },
  // API Gateway says "Missing Authentication Token" for a method or path it does not know.
  {
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    status: 404,
    problem: 'not-found',
    title: 'Not found',
    detail: 'No operation matches this method and path.',
  },
  { responseType: 'RESOURCE_NOT_FOUND', status: 404, problem: 'not-found', title: 'Not found' },
  { responseType: 'BAD_REQUEST_PARAMETERS', status: 400, problem: 'validation-error', title: 'The request is not valid' },
  { responseType: 'BAD_REQUEST_BODY', status: 400, problem: 'validation-error', title: 'The request is not valid' },
  { responseType: 'REQUEST_TOO_LARGE', status: 413, problem: 'content-too-large', title: 'Request body too large' },
  { responseType: 'UNSUPPORTED_MEDIA_TYPE', status: 415, problem: 'unsupported-media-type', title: 'Unsupported media type' },
  // API Gateway cannot compute a wait: one second is when a token bucket refilled at ≥ 1/s has one again.
  { responseType: 'THROTTLED', status: 429, problem: 'too-many-requests', title: 'Too many requests', headers: { 'Retry-After': '1' } },
  // The tenant has no key in a usage plan yet: onboarding was not completed (docs/throttling.md).
  {
    responseType: 'INVALID_API_KEY',
    status: 403,
    problem: 'tenant-not-provisioned',
    title: 'The tenant has no usage plan',
    detail: "The tenant's API usage key is missing or disabled; an operator completes its onboarding.",
  },
  { responseType: 'QUOTA_EXCEEDED', status: 429, problem: 'too-many-requests', title: 'Too many requests' },
  { responseType: 'INTEGRATION_TIMEOUT', status: 504, problem: 'gateway-timeout', title: 'The operation timed out' },
  { responseType: 'DEFAULT_4XX', problem: 'gateway-rejected', title: 'Rejected by the API gateway' },
  { responseType: 'DEFAULT_5XX', problem: 'gateway-error', title: 'API gateway error' },
];

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()).replace(/^[a-z]/, (letter) => letter.toUpperCase());
}
