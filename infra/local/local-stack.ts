/**
 * The whole product on one machine: DynamoDB Local, the table, the local
 * token issuer and the local API server running the real handlers. Used by
 * `npm start`, the integration tests and the benchmarks.
 * @module
 */
import './runtime-defaults.js';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PLATFORM_SCOPE } from '#shared/domain/roles.js';
import type { TenantTier } from '#shared/domain/tenant-limits.js';
import { OUTBOX_STREAM_FILTER } from '#shared/events/outbox-stream.js';
import { EVENT_RULES, functionArnVariable } from '#shared/events/rules.js';
import { routeFunctionsOf } from '#shared/http/route.js';
import { createRouter, routeModulesOf } from '#shared/http/router.js';
import { stateMachineArnVariable } from '#shared/workflows/workflow-arn.js';
import { ensureTable } from './create-table.js';
import { DEMO_OPERATOR, DEMO_USERS } from './demo-users.js';
import type { DynamoDbLocal } from './dynamodb-local.js';
import { createLocalApi } from './http-server.js';
import { localClockEndpoints } from './local-clock.js';
import { LocalEventBus, localEventBusEndpoints, localEventBusServiceEndpoints } from './local-event-bus.js';
import { LocalUserPool, localIdentityServiceEndpoints } from './local-identity.js';
import { localLambdaEndpoints } from './local-lambda.js';
import { LocalScheduler, localFunctionArn, localSchedulerEndpoints } from './local-scheduler.js';
import { localExecutionsEndpoints, localStepFunctionsEndpoints } from './local-step-functions.js';
import { bootLocalTable, LOCAL_TABLE_NAME, type LocalTableBoot } from './local-table-boot.js';
import { localUsageKeys } from './local-usage-keys.js';
import {
  createLocalWorkflows,
  LOCAL_WORKFLOWS,
  type LocalWorkflowOptions,
  type LocalWorkflows,
  localStateMachineArn,
  workflowOfArn,
} from './local-workflows.js';
import { startStreamPoller } from './stream-poller.js';
import { createTenantThrottle, type ThrottleVerdict } from './tenant-throttle.js';
import { createTokenIssuer, devTokensEndpoint, type LocalUser, type TokenIssuer } from './token-issuer.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export { LOCAL_TABLE_NAME };
export const LOCAL_BUS_NAME = 'itsm-local';

/** Loads a handler module (`functions/<handler>.ts`). */
async function loadModule(handler: string): Promise<{ handler: never }> {
  // A file URL, not a template specifier, so bundler-aware runners (tsx, vitest) load it unchanged.
  return (await import(/* @vite-ignore */ pathToFileURL(join(REPO_ROOT, 'functions', `${handler}.ts`)).href)) as { handler: never };
}

/** Loads a handler the way Lambda would: its module's `handler` export. */
async function loadFunction(handler: string): Promise<unknown> {
  return (await loadModule(handler)).handler;
}

/**
 * The local Step Functions runner over this checkout's `statemachines/` and
 * handlers. Executions read the data layer through the environment the
 * stack sets, so start the stack first (or fake the functions).
 */
export function localWorkflows(options: Omit<LocalWorkflowOptions, 'repoRoot'> = {}): LocalWorkflows {
  return createLocalWorkflows({ repoRoot: REPO_ROOT, ...options });
}

export interface LocalStackOptions {
  /** API port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Keep data (and the token signing key) in this folder; in memory when absent. */
  readonly dataDir?: string;
  /** Where the token signing key is kept. @default `<dataDir>/issuer-key.pem`, or nowhere when in memory */
  readonly issuerKeyFile?: string;
  /** The bus's NDJSON log. @default `<dataDir>/events.ndjson`, or a file in the temp folder when in memory */
  readonly eventLogFile?: string;
  /**
   * Options for every workflow execution the product starts (e.g. shorter
   * waits in a demo). Executions are in memory: a restart forgets them.
   */
  readonly workflowDefaults?: LocalWorkflowOptions['defaults'];
  /** Bus rules to leave out (by name), e.g. `ArmSlaEscalation` while a benchmark bulk-loads incidents. */
  readonly disabledRules?: readonly string[];
  /** DynamoDB Local booted already (`bootLocalTable`, with the same `dataDir`); booted here when absent. */
  readonly table?: LocalTableBoot;
  /**
   * The tier of tenants with no plan of their own (`DEFAULT_TENANT_TIER`):
   * its rate limits and quotas apply to them, locally as in AWS.
   * @default 'standard'
   */
  readonly defaultTenantTier?: TenantTier;
  /** Where tenant exports are written (`EXPORT_DIR`). @default `<dataDir>/../exports`, or a folder in the temp folder when in memory */
  readonly exportDir?: string;
}

/** A phase of the start and how long it took: `npm start` prints them. */
export interface StartPhase {
  readonly name: string;
  readonly ms: number;
}

export interface LocalStack {
  readonly url: string;
  /** Where the start's time went, in the order the phases ended (some ran side by side). */
  readonly phases: readonly StartPhase[];
  readonly dynamoDb: DynamoDbLocal;
  readonly issuer: TokenIssuer;
  /** Whether the table was created now (a fresh database). */
  readonly freshTable: boolean;
  readonly bus: LocalEventBus;
  /** The Step Functions stand-in: executions the product started (`SFN_ENDPOINT`). */
  readonly workflows: LocalWorkflows;
  /** Resolves when every change written so far has gone through the outbox publisher onto the bus. */
  drainEvents(): Promise<void>;
  tokenFor(user: LocalUser): string;
  /** The local user pool (Cognito stand-in): users invited through the API, who get dev tokens too. */
  readonly userPool: LocalUserPool;
  stop(): Promise<void>;
}

/**
 * Starts everything. The handlers read their configuration from the
 * environment at import time, exactly as in Lambda, so the environment is
 * set before the first handler is loaded.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // Local code runs on Node 20 while Lambda runs 22; the move is planned in the README.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const began = performance.now();
  const phases: StartPhase[] = [];
  const timed = async <T>(name: string, work: Promise<T> | (() => Promise<T>)): Promise<T> => {
    const started = performance.now();
    const result = await (typeof work === 'function' ? work() : work);
    phases.push({ name, ms: Math.round(performance.now() - (typeof work === 'function' ? started : began)) });
    return result;
  };
  // The JVM takes seconds to start: it boots (unless the caller booted it even earlier) while the rest loads.
  const table = options.table ?? (await bootLocalTable({ dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined }));
  const dynamoDbPort = table.port;
  const booting = table.started.then((dynamoDb) => {
    phases.push({ name: 'DynamoDB Local started', ms: Math.round(performance.now() - table.bootedAt) });
    return dynamoDb;
  });
  booting.catch(() => undefined);
  try {
    const { routes } = await timed('route table loaded', () => import('#shared/http/routes.js'));
    const routerFunctions = routeFunctionsOf(Object.values(routes));
    const bus = new LocalEventBus({
      busName: LOCAL_BUS_NAME,
      rules: EVENT_RULES.filter((rule) => !options.disabledRules?.includes(rule.name)),
      logFile: options.eventLogFile ?? (options.dataDir ? join(options.dataDir, 'events.ndjson') : join(tmpdir(), `itsm-events-${process.pid}.ndjson`)),
      loadHandler: async (handler) => (await loadFunction(handler)) as never,
    });
    const workflows = createLocalWorkflows({ repoRoot: REPO_ROOT, ...(options.workflowDefaults ? { defaults: options.workflowDefaults } : {}) });
    const scheduler = new LocalScheduler(
      async (handler, input) => {
        await ((await loadFunction(handler)) as (payload: unknown) => Promise<unknown>)(input);
      },
      async (stateMachineArn, input) => {
        // The scheduler's Step Functions target: StartExecution with a generated name.
        const workflow = workflowOfArn(stateMachineArn);
        if (!workflow) throw new Error(`No local state machine ${stateMachineArn}`);
        workflows.start(workflow, input);
      },
    );
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    let issuer: TokenIssuer | undefined;
    let verify: ((authorization: string | undefined) => Promise<Record<string, string> | null>) | undefined;
    let admit: ((tenantId: string) => ThrottleVerdict | Promise<ThrottleVerdict>) | undefined;
    let withStatus: ((context: Record<string, string>) => Promise<Record<string, string>>) | undefined;
    const lambda = localLambdaEndpoints();
    const userPool = new LocalUserPool(options.dataDir ? join(options.dataDir, 'users.json') : undefined);
    const server = createLocalApi({
      routes: Object.values(routes),
      // The router function of a practice and access level, built from the route table as the bundler builds it.
      loadHandler: async (entry) => createRouter(routeModulesOf(routerFunctions.get(entry)?.routes ?? [], loadModule)),
      authorize: async (authorization) => (verify ? verify(authorization) : null),
      admit: (tenantId) => (admit ? admit(tenantId) : { allowed: true, retryAfterSeconds: 0 }),
      admitted: async (context) => (withStatus ? withStatus(context) : context),
      serviceEndpoints: [
        // The server listens early (handlers need its URL in their environment); a request that comes first waits until the stack is up.
        async () => {
          await ready;
          return false;
        },
        ...localEventBusServiceEndpoints(bus),
        ...localSchedulerEndpoints(scheduler),
        ...localStepFunctionsEndpoints(workflows),
        ...lambda.service,
        ...localIdentityServiceEndpoints(userPool),
        // How a script gets a dev token: it cannot carry one yet (loopback only; see devTokensEndpoint). Invited users sign in too.
        devTokensEndpoint(() =>
          Object.fromEntries([...DEMO_USERS, DEMO_OPERATOR, ...userPool.signInUsers()].map((user) => [user.userId, issuer?.issue(user) ?? ''])),
        ),
        (request, response) => {
          if (request.url !== '/local/jwks.json') return false;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(issuer?.jwks));
          return true;
        },
      ],
      localEndpoints: [...localEventBusEndpoints(bus), ...localExecutionsEndpoints(workflows), ...localClockEndpoints(), ...lambda.local],
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = createTokenIssuer(`${url}/local`, options.issuerKeyFile ?? (options.dataDir ? join(options.dataDir, 'issuer-key.pem') : undefined));
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_TABLE_NAME,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoDbPort}`,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      JWKS_URI: `${url}/local/jwks.json`,
      EVENTBRIDGE_ENDPOINT: `${url}/local/eventbridge`,
      EVENT_BUS_NAME: LOCAL_BUS_NAME,
      SCHEDULER_ENDPOINT: `${url}/local/scheduler`,
      SCHEDULE_GROUP_NAME: 'itsm-local',
      SFN_ENDPOINT: `${url}/local/stepfunctions`,
      LAMBDA_ENDPOINT: `${url}/local/lambda`,
      COGNITO_ENDPOINT: `${url}/local/cognito`,
      USER_POOL_ID: 'local',
      EXPORT_DIR: options.exportDir ?? (options.dataDir ? join(options.dataDir, '..', 'exports') : join(tmpdir(), `itsm-exports-${process.pid}`)),
      ...Object.fromEntries(Object.keys(LOCAL_WORKFLOWS).map((name) => [stateMachineArnVariable(name), localStateMachineArn(name)])),
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/itsm-local-scheduler',
      // Named for the Target's DeadLetterConfig; the local scheduler logs a failed invocation instead.
      SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:itsm-local-schedule-failures',
      WEBHOOK_DISPATCHER_ARN: localFunctionArn('webhooks/dispatch-webhooks'),
      ...Object.fromEntries(
        EVENT_RULES.flatMap((rule) => ('handler' in rule.target && rule.target.schedulesItself ? [rule.target.handler] : [])).map((handler) => [
          functionArnVariable(handler),
          localFunctionArn(handler),
        ]),
      ),
      // The explicit local setting of the outbound guard: local receivers and probes listen on loopback, over plain http.
      // Never set in AWS (a template test checks), where webhook and probe URLs must reach public https addresses.
      OUTBOUND_ALLOW_LOOPBACK: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      DEFAULT_TENANT_TIER: options.defaultTenantTier ?? process.env.DEFAULT_TENANT_TIER ?? 'standard',
    });
    const [authorizer, publisher] = await timed('authorizer and outbox publisher loaded', () =>
      Promise.all([import('../../functions/auth/authorizer.js'), loadFunction('events/publish-outbox')]),
    );
    authorizer.verifier.cacheJwks(issuer.jwks as unknown as Parameters<typeof authorizer.verifier.cacheJwks>[0]);
    // After the environment: the tenant's plan is read through the data layer.
    const { tenantTierOf } = await import('#shared/data/tenant-limits.js');
    const throttle = createTenantThrottle(tenantTierOf);
    admit = throttle.admit;
    // The throttle is the local usage plans: onboarding, a tier change and a deletion move tenants between them.
    const { useUsageKeys } = await import('#shared/services/tenants/usage-keys.js');
    useUsageKeys(localUsageKeys(throttle));
    const { tenantStatusOf } = await import('#shared/data/tenants/tenant-repository.js');
    const verifyCached = cachedByToken(async (authorization) => {
      const context = await authorizer.verifyBearer(authorization);
      return context ? { ...context } : null;
    });
    // The tenant's status is not kept with a cached answer but read per request (from the data layer's per-process
    // cache, which this process updates when it changes a tenant): locally a suspension bites at once, where in AWS
    // API Gateway's authorizer cache can keep the old answer up to its TTL (see docs/tenants.md).
    // Read only once the throttle admitted the request: a flooding tenant's refused requests cost no read.
    verify = verifyCached;
    withStatus = async (context) => {
      if (context.tenantId === PLATFORM_SCOPE) return context;
      const { tenantStatus: _cached, ...current } = context;
      const status = await tenantStatusOf(current.tenantId as string);
      return status === 'active' ? current : { ...current, tenantStatus: status };
    };
    const dynamoDb = await booting;
    const freshTable = await timed('table ready', () => ensureTable(dynamoDb.endpoint, LOCAL_TABLE_NAME));
    const poller = await startStreamPoller({
      endpoint: dynamoDb.endpoint,
      tableName: LOCAL_TABLE_NAME,
      filter: OUTBOX_STREAM_FILTER,
      handler: publisher as Parameters<typeof startStreamPoller>[0]['handler'],
      ...(options.dataDir ? { checkpointFile: join(options.dataDir, 'stream-checkpoint.json') } : {}),
      onGiveUp: (record, error) => console.error(`Outbox record ${record.dynamodb?.SequenceNumber} given up: ${error}`),
    });
    markReady();
    phases.push({ name: 'serving', ms: Math.round(performance.now() - began) });
    const localIssuer = issuer;
    return {
      url,
      phases,
      dynamoDb,
      issuer: localIssuer,
      freshTable,
      bus,
      workflows,
      async drainEvents() {
        await poller.drain();
        await bus.settle();
      },
      tokenFor: (user) => localIssuer.issue(user),
      userPool,
      async stop() {
        await poller.stop();
        // Deliveries in flight may still start executions: let them finish before stopping every execution.
        await bus.settle();
        scheduler.stop();
        workflows.stopAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dynamoDb.stop();
      },
    };
  } catch (error) {
    await (await booting.catch(() => undefined))?.stop();
    throw error;
  }
}

/** API Gateway keeps a token authorizer's answer this long per token (`authorizerResultTtlInSeconds` in the gateway document). */
const AUTHORIZER_CACHE_MS = 300_000;
/** Tokens remembered at most; the oldest answer goes first. */
const AUTHORIZER_CACHE_ENTRIES = 10_000;

/**
 * The authorizer's answers cached per `Authorization` header, as API
 * Gateway caches them: a request with a token seen in the last five minutes
 * costs no signature check (so a tenant flooding the API is turned away by
 * its bucket cheaply, as in AWS). Refusals are not cached, nor is an answer
 * kept past the token's own expiry.
 */
function cachedByToken(
  verify: (authorization: string | undefined) => Promise<Record<string, string> | null>,
): (authorization: string | undefined) => Promise<Record<string, string> | null> {
  const answers = new Map<string, { context: Record<string, string>; until: number }>();
  return async (authorization) => {
    if (!authorization) return verify(authorization);
    const now = Date.now();
    const cached = answers.get(authorization);
    if (cached && cached.until > now) return cached.context;
    const context = await verify(authorization);
    if (context) {
      const expiresAt = tokenExpiryMs(authorization);
      answers.delete(authorization);
      answers.set(authorization, { context, until: Math.min(now + AUTHORIZER_CACHE_MS, expiresAt) });
      if (answers.size > AUTHORIZER_CACHE_ENTRIES) answers.delete(answers.keys().next().value as string);
    }
    return context;
  };
}

/** The `exp` of a bearer token already verified, in ms (0 when unreadable: then nothing is cached). */
function tokenExpiryMs(authorization: string): number {
  try {
    const payload = authorization.split(' ')[1]?.split('.')[1] ?? '';
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
