/**
 * The whole product on one machine: DynamoDB Local, the table, the local
 * token issuer and the local API server running the real handlers. Used by
 * `npm start`, the integration tests and the benchmarks.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureTable } from './create-table.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { createLocalApi } from './http-server.js';
import { createTokenIssuer, type LocalUser, type TokenIssuer } from './token-issuer.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LOCAL_TABLE_NAME = 'itsm-local';

export interface LocalStackOptions {
  /** API port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Keep data (and the token signing key) in this folder; in memory when absent. */
  readonly dataDir?: string;
  /** Where the token signing key is kept. @default `<dataDir>/issuer-key.pem`, or nowhere when in memory */
  readonly issuerKeyFile?: string;
}

export interface LocalStack {
  readonly url: string;
  readonly dynamoDb: DynamoDbLocal;
  readonly issuer: TokenIssuer;
  /** Whether the table was created now (a fresh database). */
  readonly freshTable: boolean;
  tokenFor(user: LocalUser): string;
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
  const dynamoDb = await startDynamoDbLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {});
  try {
    const freshTable = await ensureTable(dynamoDb.endpoint, LOCAL_TABLE_NAME);
    const { routes } = await import('../../functions/routes.js');
    let issuer: TokenIssuer | undefined;
    let verify: ((authorization: string | undefined) => Promise<Record<string, string> | null>) | undefined;
    const server = createLocalApi({
      routes: Object.values(routes),
      // A file URL, not a template specifier, so bundler-aware runners (tsx, vitest) load it unchanged.
      loadHandler: async (handler) =>
        ((await import(/* @vite-ignore */ pathToFileURL(join(REPO_ROOT, 'functions', `${handler}.ts`)).href)) as { handler: never }).handler,
      authorize: async (authorization) => (verify ? verify(authorization) : null),
      localEndpoints: [
        (request, response) => {
          if (request.url !== '/local/jwks.json') return false;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(issuer?.jwks));
          return true;
        },
      ],
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = createTokenIssuer(`${url}/local`, options.issuerKeyFile ?? (options.dataDir ? join(options.dataDir, 'issuer-key.pem') : undefined));
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_TABLE_NAME,
      DYNAMODB_ENDPOINT: dynamoDb.endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      JWKS_URI: `${url}/local/jwks.json`,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    const authorizer = await import('../../functions/auth/authorizer.js');
    authorizer.verifier.cacheJwks(issuer.jwks as unknown as Parameters<typeof authorizer.verifier.cacheJwks>[0]);
    verify = async (authorization) => {
      const context = await authorizer.verifyBearer(authorization);
      return context ? { ...context } : null;
    };
    const localIssuer = issuer;
    return {
      url,
      dynamoDb,
      issuer: localIssuer,
      freshTable,
      tokenFor: (user) => localIssuer.issue(user),
      async stop() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await dynamoDb.stop();
      },
    };
  } catch (error) {
    await dynamoDb.stop();
    throw error;
  }
}
