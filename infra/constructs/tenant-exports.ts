/**
 * Where tenant exports land: a private, encrypted, TLS-only S3 bucket
 * (`exports/<tenant>/<export id>/<record type>/part-*.jsonl`), access
 * logged to a bucket of its own. Exports are backups and a deletion's
 * evidence, so the bucket is retained with the stack's other stateful
 * resources; objects move to infrequent access after 30 days and expire
 * after a year (a tenant that wants them longer downloads them).
 * @module
 */
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ItsmFunction } from './itsm-function.js';

/** Props of {@link TenantExports}. */
export interface TenantExportsProps {
  readonly stage: string;
  /**
   * Days an export is kept.
   * @default 365
   */
  readonly retentionDays?: number;
}

export class TenantExports extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: TenantExportsProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the export bucket; logging it again would only log the log delivery.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: exportBucketName(props.stage),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: `exports-${props.stage}/`,
      lifecycleRules: [
        {
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: Duration.days(props.retentionDays ?? 365),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * The bucket's name, from the stage, account and region: the API and
 * events stacks name it without a cross-stack reference, and the grant's
 * resource is a plain ARN that its acknowledgment can spell.
 */
export function exportBucketName(stage: string): string {
  return `itsm-${stage}-tenant-exports-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** The export worker: writes export files (PutObject under `exports/` only) and names their location. */
export function letWriteExports(fn: ItsmFunction, stage: string): void {
  const objects = `arn:${Aws.PARTITION}:s3:::${exportBucketName(stage)}/exports/*`;
  fn.role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
  fn.function.addEnvironment('EXPORT_BUCKET', exportBucketName(stage));
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::itsm-${stage}-tenant-exports-<AWS::AccountId>-<AWS::Region>/exports/*]`,
    reason: 'Export files get names at run time (tenant, export id, record type, batch); the grant is PutObject under exports/ of the one export bucket.',
  });
}

/** A function that only names where an export will be (the request routes). */
export function letNameExportLocation(fn: ItsmFunction, stage: string): void {
  fn.function.addEnvironment('EXPORT_BUCKET', exportBucketName(stage));
}
