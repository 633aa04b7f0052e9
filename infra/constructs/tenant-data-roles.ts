import { Stack, Tags } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AccountPrincipal, type IRole, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '#shared/data/table-definition.js';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from './itsm-function.js';

/** The session tag carrying the tenant id (`shared/data/tenant-credentials.ts` sets it on AssumeRole). */
export const TENANT_SESSION_TAG = 'tenantId';

/**
 * The leading-key pattern the roles allow: the `tenantId` session tag,
 * resolved by IAM at request time, between the tenant prefix and its `#`.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM, not by JavaScript.
export const TENANT_LEADING_KEYS = 'TENANT#${aws:PrincipalTag/tenantId}#*';

/** What a request-path function does with tenant data. */
export type TenantDataAccess = 'read' | 'write';

/** The principal tag a function role must carry to assume the role of `access` (set by {@link TenantDataRoles.grantAssume}). */
export function callerTagOf(access: TenantDataAccess): string {
  return `itsm-tenant-data-${access}`;
}

/** Props of {@link TenantDataRoles}. */
export interface TenantDataRolesProps {
  /** The single table. */
  readonly table: ITableV2;
}

/**
 * The IAM half of the tenant wall: two roles, `TenantDataRead` and
 * `TenantDataWrite`, that request-path functions assume per tenant with
 * the session tag `tenantId=<id>`. Their only permission is the table's
 * read (resp. read and write) actions on the table and each index, under
 * `dynamodb:LeadingKeys` ⊆ `TENANT#<tenantId tag>#*`: credentials of one
 * tenant cannot read or write a key of another, whatever the code does.
 *
 * Trust: the account, narrowed by two conditions: the session must carry a
 * non-empty `tenantId` tag (and no other tag), and the caller's role must
 * carry the tag {@link callerTagOf} that {@link grantAssume} puts on it.
 * The function roles are not listed one by one: about fifty of them would
 * overflow the trust policy's 2,048-character quota, and a listed role that
 * is replaced would leave a dangling principal. With the account as the
 * principal, a caller also needs `sts:AssumeRole` in its own policy, which
 * only {@link grantAssume} gives.
 */
export class TenantDataRoles extends Construct {
  readonly readRole: Role;
  readonly writeRole: Role;

  constructor(scope: Construct, id: string, props: TenantDataRolesProps) {
    super(scope, id);
    const resources = [props.table.tableArn, ...GLOBAL_INDEXES.map((index) => `${props.table.tableArn}/index/${index.indexName}`)];
    this.readRole = this.tenantRole('TenantDataRead', 'read', [...TABLE_READ_ACTIONS], resources);
    this.writeRole = this.tenantRole('TenantDataWrite', 'write', [...TABLE_WRITE_ACTIONS], resources);
  }

  /**
   * Lets `role` assume the tenant role of `access` with a `tenantId` session
   * tag: tags `role` for the trust policy's condition and grants it
   * `sts:AssumeRole` + `sts:TagSession` on that one role.
   * @returns the tenant role's ARN, for the function's `TENANT_ROLE_ARN`
   */
  grantAssume(role: IRole, access: TenantDataAccess): string {
    const target = access === 'write' ? this.writeRole : this.readRole;
    Tags.of(role).add(callerTagOf(access), 'true');
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [target.roleArn] }));
    return target.roleArn;
  }

  private tenantRole(id: string, access: TenantDataAccess, actions: string[], resources: string[]): Role {
    const trust = new AccountPrincipal(Stack.of(this).account)
      .withConditions({
        // `?*`: present and not empty. An untagged session would leave the policy variable unresolved.
        StringLike: { [`aws:RequestTag/${TENANT_SESSION_TAG}`]: '?*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_SESSION_TAG] },
        StringEquals: { [`aws:PrincipalTag/${callerTagOf(access)}`]: 'true' },
      })
      // Adds sts:TagSession beside sts:AssumeRole: without it, STS refuses a call that passes session tags.
      .withSessionTags();
    const role = new Role(this, id, {
      assumedBy: trust,
      description: `ITSM request-path ${access} access to one tenant's items (dynamodb:LeadingKeys from the tenantId session tag)`,
      inlinePolicies: {
        TenantItems: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions,
              resources,
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [TENANT_LEADING_KEYS] },
                // ForAllValues alone holds when a request has no leading key at all; this refuses such a request.
                Null: { 'dynamodb:LeadingKeys': 'false' },
              },
            }),
          ],
        }),
      },
    });
    return role;
  }
}
