import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../../shared/data/table-definition.js';
import type { RouteSpec } from '../../shared/http/route.js';
import { bundleEntry, esbuildOptions } from './bundling.js';

/** What a function may do with the table: nothing, read, or read and write. */
export type TableAccess = RouteSpec['access'];

/**
 * Item reads a request path makes (TransactGetItems is authorised as GetItem).
 * Unlike `grantReadData` there is no Scan (no request path scans), no stream
 * read and no DescribeTable.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** Reads plus item writes; TransactWriteItems is authorised per item by these. */
export const TABLE_WRITE_ACTIONS = [
  ...TABLE_READ_ACTIONS,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Props of {@link ItsmFunction}. */
export interface ItsmFunctionProps {
  /** Handler module under `functions/`, without extension, exporting `handler` (e.g. `incidents/create-incident`). */
  readonly handler: string;
  /**
   * The single table. Needed unless `access` is `none`.
   * @default - no table
   */
  readonly table?: ITableV2;
  /**
   * Table access granted to the function's role, and nothing more:
   * `read` → {@link TABLE_READ_ACTIONS}, `write` → {@link TABLE_WRITE_ACTIONS},
   * on the table and each of its global indexes by name.
   * @default 'none'
   */
  readonly access?: TableAccess;
  /**
   * Extra environment variables (merged over the defaults).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Memory in MB; CPU scales with it, and 1024 MB keeps cold starts of the
   * zod-heavy bundles short for little cost at API-sized durations.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * API Gateway gives up after 29 s; handlers do a few DynamoDB calls.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the function's own log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Powertools log level.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Powertools service name (log and trace dimension).
   * @default 'itsm'
   */
  readonly serviceName?: string;
}

/**
 * The one way this project makes a Lambda function: `functions/<handler>.ts`
 * bundled with the shared {@link esbuildOptions}, Node.js 24 on arm64
 * (cheaper per GB-s, faster cold starts), X-Ray active, its own log group with
 * a retention, and an execution role that holds only what the function needs:
 * writes to its log group, X-Ray, and the table access it asks for.
 */
export class ItsmFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ItsmFunctionProps) {
    super(scope, id);
    const access = props.access ?? 'none';
    if (access !== 'none' && !props.table) throw new Error(`${id}: access '${access}' needs a table`);

    // Log groups belong to the function: deleting the stateless stack deletes them.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Our own role instead of the default one, which attaches the AWS-managed
    // AWSLambdaBasicExecutionRole (logs:* on every log group, cdk-nag IAM4).
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: bundleEntry(props.handler),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        ...(access !== 'none' && props.table ? { TABLE_NAME: props.table.tableName } : {}),
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'itsm',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: esbuildOptions.target,
        minify: esbuildOptions.minify,
        sourceMap: esbuildOptions.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: esbuildOptions.sourcesContent,
        mainFields: [...esbuildOptions.mainFields],
        banner: esbuildOptions.banner.js,
        externalModules: [...esbuildOptions.external],
        logLevel: LogLevel.WARNING,
      },
    });

    const table = props.table;
    if (access !== 'none' && table) {
      // Not grantReadData / grantReadWriteData: they add Scan and stream reads, and their
      // `<table>/index/*` wildcard (cdk-nag IAM5) would need an acknowledgment naming the
      // generated cross-stack export. Naming each index of the table definition needs neither.
      Grant.addToPrincipal({
        grantee: this.role,
        actions: [...(access === 'write' ? TABLE_WRITE_ACTIONS : TABLE_READ_ACTIONS)],
        resourceArns: [table.tableArn, ...GLOBAL_INDEXES.map((index) => `${table.tableArn}/index/${index.indexName}`)],
      });
    }

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }
}
