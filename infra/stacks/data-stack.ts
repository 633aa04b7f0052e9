import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, type GlobalSecondaryIndexPropsV2, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { GLOBAL_INDEXES, type IndexDefinition, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '#shared/data/table-definition.js';
import { PLATFORM_OPERATOR, ROLES } from '#shared/domain/roles.js';
import { ALARM_EMAIL_CONTEXT, AlarmTopic } from '../constructs/alarm-topic.js';
import { TenantExports } from '../constructs/tenant-exports.js';

/** Props of {@link DataStack}. */
export interface DataStackProps extends StackProps {
  /** Deployment stage (`dev`, `prod` …); names and cost-sensitive choices follow it. */
  readonly stage: string;
  /**
   * An e-mail address subscribed to the alarm topic.
   * @default - the `alarmEmail` context value (`-c alarmEmail=…`), else no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * The stateful half: the single DynamoDB table, the Cognito user pool and
 * the alarm topic every alarm of the stage notifies (its subscriptions are
 * state too: a confirmed e-mail or chat integration).
 * Nothing here is ever replaced or deleted by a deploy: deletion protection
 * and `RETAIN` on every stage, because a lost dev pool or table costs a day
 * of re-seeding, and the stateless API stack can be torn down freely instead.
 */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly userPool: UserPool;
  /** The API's app client; its id is the JWT audience the authorizer checks. */
  readonly userPoolClient: UserPoolClient;
  /** `itsm-<stage>-alarms`: every alarm of the app notifies it (`NotifyOnAlarm`). */
  readonly alarmTopic: AlarmTopic;
  /** The bucket tenant exports are written to. */
  readonly exports: TenantExports;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const isProd = props.stage === 'prod';

    // Built from the same definition as the local runtime's table, so the two cannot drift.
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      globalSecondaryIndexes: GLOBAL_INDEXES.map(globalIndex),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The outbox publisher reads the stream; old images let it see what changed.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // AWS-managed key: key use shows in CloudTrail, with no key policy to maintain.
      encryption: TableEncryptionV2.awsManagedKey(),
      // Hot-key detection is billed per rule; worth it where real tenants are.
      contributorInsightsSpecification: { enabled: isProd },
    });

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `itsm-${props.stage}`,
      // Tenant admins invite users; nobody may join a tenant on their own.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Set once when the user is created, so a user can never move between tenants.
      customAttributes: { tenantId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus (threat protection) is billed per monthly active user: prod only.
      featurePlan: isProd ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(isProd ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const email = props.alarmEmail ?? (this.node.tryGetContext(ALARM_EMAIL_CONTEXT) as string | undefined);
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { stage: props.stage, ...(email ? { email } : {}) });

    // Groups are the roles; precedence only decides `cognito:preferred_role`.
    [...ROLES].reverse().forEach((role, precedence) => {
      this.userPool.addGroup(pascalCase(role), { groupName: role, precedence, description: `ITSM role ${role}` });
    });
    // Outside every tenant: the authorizer admits it only on a user without custom:tenantId (created by the deployer, never invited).
    this.userPool.addGroup('PlatformOperator', {
      groupName: PLATFORM_OPERATOR,
      precedence: ROLES.length,
      description: 'ITSM platform operator: tenant life cycle; its members must have no custom:tenantId',
    });

    this.exports = new TenantExports(this, 'TenantExports', { stage: props.stage });

    this.userPoolClient = this.userPool.addClient('ApiClient', {
      userPoolClientName: `itsm-${props.stage}-api`,
      // A public client (SPA, CLI): no secret; SRP keeps the password off the wire.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes('tenantId'),
      // tenantId is deliberately absent: a user must not be able to change their tenant.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP): tenants enrol users gradually and service accounts cannot answer TOTP; required MFA would lock them out. Enforcing it per tenant is tracked as future work.',
    });
    if (!isProd) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'Non-production stages use the Essentials plan: Plus (threat protection) is billed per MAU and only the prod stage has real users.',
      });
    }
  }
}

function globalIndex(index: IndexDefinition): GlobalSecondaryIndexPropsV2 {
  const key = (name: string) => ({ name, type: AttributeType.STRING });
  const { projection } = index;
  return {
    indexName: index.indexName,
    partitionKey: key(index.partitionKey),
    ...(index.sortKey ? { sortKey: key(index.sortKey) } : {}),
    ...(projection.type === 'INCLUDE'
      ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection.attributes] }
      : { projectionType: projection.type === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY }),
  };
}

function pascalCase(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}
