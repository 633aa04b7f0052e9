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
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RouteSpec } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { AlarmIngestion } from '../constructs/alarm-ingestion.js';
import { ItsmFunction } from '../constructs/itsm-function.js';
import { TenantDataRoles } from '../constructs/tenant-data-roles.js';

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
   * Stage-wide steady-state request rate (requests per second).
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Stage-wide burst.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
}

/**
 * The stateless half: the REST API, its Lambda token authorizer, and one
 * function per route of `functions/routes.ts` (the same table the local
 * server and the OpenAPI generator read, so they cannot disagree).
 *
 * Throttling is one stage-wide default for now. Per-tenant tiers are future
 * work: the authorizer would return the tenant's API key as
 * `usageIdentifierKey` (`apiKeySourceType: AUTHORIZER`) and each tier would be
 * a usage plan with its own rate, burst and quota.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  /** CloudWatch alarms → incidents (default-bus rule, function, DLQ and its alarm). */
  readonly alarmIngestion: AlarmIngestion;
  /** The nested stack holding each practice's route functions, by practice (`incidents`, `changes` …). */
  readonly routeStacks = new Map<string, NestedStack>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Weak references (Fn::GetStackOutput, no Export/ImportValue): the data stack can change its
    // outputs without the "export in use" deadlock. Its resources are retained and
    // deletion-protected, so the coupling a strong reference adds buys nothing.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });

    this.api = new RestApi(this, 'Api', {
      restApiName: `itsm-${props.stage}`,
      description: `ITSM HTTP API (${props.stage})`,
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
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
    });

    // Handlers validate bodies with the route's zod schemas (field-level problem+json);
    // the gateway checks that declared path parameters are present.
    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: 'body-and-params',
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const authorizerFunction = new ItsmFunction(this, 'Authorizer', {
      handler: 'auth/authorizer',
      serviceName: 'itsm-authorizer',
      environment: {
        JWT_ISSUER: `https://cognito-idp.${this.region}.amazonaws.com/${props.userPool.userPoolId}`,
        JWT_AUDIENCE: props.userPoolClient.userPoolClientId,
      },
    });
    const authorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: authorizerFunction.function,
      identitySource: IdentitySource.header('Authorization'),
      // The policy covers the whole stage, so one decision per token serves every route.
      resultsCacheTtl: Duration.minutes(5),
      // Malformed headers get a 401 without invoking (and paying for) the authorizer.
      validationRegex: '^[Bb]earer [-0-9A-Za-z._~+/]+=*$',
    });

    // The second tenant wall: request-path functions sign their data calls as the caller's tenant
    // (docs/tenant-isolation.md).
    const tenantData = new TenantDataRoles(this, 'TenantData', { table: props.table });

    // The functions of each practice live in a nested stack of their own: a function with its role,
    // policy, log group and invoke permission is six resources, and one stack holds at most 500.
    // Methods stay here, on the one REST API; each function keeps a role of its own.
    for (const route of Object.values(routes) as RouteSpec[]) {
      const isPublic = route.roles === 'public';
      const fn = new ItsmFunction(this.routesOf(practiceOf(route)), pascalCase(route.operationId), {
        handler: route.handler,
        table: props.table,
        access: route.access,
        environment: route.operationId === routes.getOpenApi.operationId ? { API_BASE_PATH: `/${props.stage}` } : {},
        // A route that may run long (bulk import, impact, health) is CPU-bound: 1,769 MB is one whole vCPU.
        ...(route.timeoutSeconds ? { timeout: Duration.seconds(route.timeoutSeconds), memorySize: 1769 } : {}),
      });
      if (route.access !== 'none') fn.function.addEnvironment('TENANT_ROLE_ARN', tenantData.grantAssume(fn.role, route.access));
      if (route.completesWorkflowTasks) this.letCompleteTasks(fn, route.completesWorkflowTasks, props.stage);
      const method = this.api.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(fn.function, { proxy: true, allowTestInvoke: false }), {
          operationName: route.operationId,
          requestValidator: validator,
          requestParameters: Object.fromEntries(pathParameters(route.path).map((name) => [`method.request.path.${name}`, true])),
          ...(isPublic ? { authorizationType: AuthorizationType.NONE } : { authorizer, authorizationType: AuthorizationType.CUSTOM }),
        });
      if (isPublic) {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (roles: 'public' in the route table).`,
        });
      }
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: isPublic
          ? `${route.method} ${route.path} is public by design.`
          : 'Uses a Lambda token authorizer that verifies the same Cognito ID tokens (aws-jwt-verify) and also enforces the custom:tenantId claim and token_use, which a Cognito authorizer cannot.',
      });
    }

    addProblemResponses(this.api);

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

/** The practice a route belongs to: the folder of its handler (`incidents/create-incident` → `incidents`). */
function practiceOf(route: RouteSpec): string {
  return route.handler.split('/')[0] as string;
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

interface ProblemSpec {
  readonly type: ResponseType;
  readonly status?: number;
  readonly problem: string;
  readonly title: string;
  /** A literal detail; by default API Gateway's own message. */
  readonly detail?: string;
  readonly headers?: Record<string, string>;
}

/**
 * Errors API Gateway answers itself, in the same RFC 9457 shape as the
 * handlers' (`shared/http/problem.ts`). Templates only substitute variables:
 * `$context.error.messageString` is already a quoted JSON string. The two
 * catch-alls keep API Gateway's status, which no variable exposes, so their
 * bodies leave out the optional `status` member and name the response type.
 */
const PROBLEMS: readonly ProblemSpec[] = [
  { type: ResponseType.UNAUTHORIZED, status: 401, problem: 'unauthorized', title: 'Authentication required', headers: { 'WWW-Authenticate': 'Bearer' } },
  { type: ResponseType.ACCESS_DENIED, status: 403, problem: 'forbidden', title: 'Not allowed' },
  // API Gateway says "Missing Authentication Token" for a method or path it does not know.
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: 404,
    problem: 'not-found',
    title: 'Not found',
    detail: 'No operation matches this method and path.',
  },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: 404, problem: 'not-found', title: 'Not found' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, problem: 'validation-error', title: 'The request is not valid' },
  { type: ResponseType.BAD_REQUEST_BODY, status: 400, problem: 'validation-error', title: 'The request is not valid' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, problem: 'content-too-large', title: 'Request body too large' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: 415, problem: 'unsupported-media-type', title: 'Unsupported media type' },
  { type: ResponseType.THROTTLED, status: 429, problem: 'too-many-requests', title: 'Too many requests' },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, problem: 'too-many-requests', title: 'Too many requests' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, problem: 'gateway-timeout', title: 'The operation timed out' },
  { type: ResponseType.DEFAULT_4XX, problem: 'gateway-rejected', title: 'Rejected by the API gateway' },
  { type: ResponseType.DEFAULT_5XX, problem: 'gateway-error', title: 'API gateway error' },
];

function addProblemResponses(api: RestApi): void {
  for (const spec of PROBLEMS) {
    const detail = spec.detail === undefined ? '$context.error.messageString' : JSON.stringify(spec.detail);
    const members = [
      `"type":"urn:itsm:problem:${spec.problem}"`,
      `"title":${JSON.stringify(spec.title)}`,
      ...(spec.status === undefined ? ['"responseType":"$context.error.responseType"'] : [`"status":${spec.status}`]),
      `"detail":${detail}`,
    ];
    const headers = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store', ...spec.headers };
    api.addGatewayResponse(pascalCase(spec.type.responseType.toLowerCase().replaceAll('_', '-')), {
      type: spec.type,
      ...(spec.status === undefined ? {} : { statusCode: String(spec.status) }),
      // Header values are mapping expressions: literals go in single quotes.
      responseHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `'${value}'`])),
      templates: { 'application/json': `{${members.join(',')}}` },
    });
  }
}

function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1] as string);
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()).replace(/^[a-z]/, (letter) => letter.toUpperCase());
}
