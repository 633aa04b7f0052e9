/**
 * One-off migration: the free-text assignment groups a tenant's stored data
 * names (incidents, the alert policy's default group, functional escalation
 * levels) become group records, so every dispatch already stored names a
 * group that exists.
 *
 * - Idempotent: a code that is a group already is left alone (a create
 *   racing another run answers 409, counted as existing); running it twice
 *   creates nothing the second time.
 * - Bounded: incidents are read from the tenant-wide queue (one Query per
 *   page of {@link PAGE}, never a Scan), at most `maxPages` pages per call;
 *   the answer carries the cursor to continue from.
 * - Migrated groups land in the front tier with no members or manager and
 *   a description saying where they came from: a tenant admin then sets
 *   their tier, members and manager.
 * @module
 */
import { getAlertPolicy } from '#shared/data/alerts/alert-policy-repository.js';
import { getGroups, getGroupTiers, insertGroup } from '#shared/data/groups/group-repository.js';
import { listIncidents } from '#shared/data/incidents/incident-repository.js';
import { getEscalationPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { ConflictError } from '#shared/domain/errors.js';
import { newGroup } from '#shared/domain/groups/group.js';
import { isSafeId } from '#shared/domain/identifiers.js';
import type { Actor } from '#shared/domain/roles.js';

const PAGE = 100;
/** The migration acts as a tenant admin of the tenant, under its own user id (the audit trail says who). */
const MIGRATION_USER = 'migration:free-text-groups';

export interface MigrationOutcome {
  readonly tenantId: string;
  /** Codes made into groups by this call. */
  readonly created: readonly string[];
  /** Codes that were groups already. */
  readonly existing: readonly string[];
  /** Incidents looked at by this call. */
  readonly incidentsRead: number;
  /** Where to continue (pass it back as `cursor`); null when the tenant is done. */
  readonly nextCursor: string | null;
}

/** Makes groups of the free-text codes `tenantId` stores; see the module notes. */
export async function migrateFreeTextGroups(
  tenantId: string,
  options: { readonly cursor?: string | undefined; readonly maxPages?: number | undefined; readonly pageSize?: number | undefined; readonly now: string },
): Promise<MigrationOutcome> {
  const codes = new Set<string>();
  // Settings name groups too; read them on the first call only.
  if (!options.cursor) {
    const [alerts, escalation] = await Promise.all([getAlertPolicy(tenantId), getEscalationPolicy(tenantId)]);
    if (alerts.policy.defaultAssignmentGroup) codes.add(alerts.policy.defaultAssignmentGroup);
    for (const level of escalation.value.levels) if (level.assignmentGroup) codes.add(level.assignmentGroup);
  }
  let cursor = options.cursor;
  let incidentsRead = 0;
  const maxPages = Math.max(1, Math.min(options.maxPages ?? 50, 1000));
  const pageSize = Math.max(1, Math.min(options.pageSize ?? PAGE, PAGE));
  for (let page = 0; page < maxPages; page++) {
    const result = await listIncidents(tenantId, { queue: 'all', limit: pageSize, cursor });
    incidentsRead += result.items.length;
    for (const incident of result.items) if (incident.assignmentGroup) codes.add(incident.assignmentGroup);
    cursor = result.nextCursor ?? undefined;
    if (!cursor) break;
  }
  const wanted = [...codes].filter(isSafeId);
  const [found, tiers] = await Promise.all([getGroups(tenantId, wanted), getGroupTiers(tenantId)]);
  const frontLine = tiers.value.tiers[0]?.id ?? 'front-line';
  const actor: Actor = { tenantId, userId: MIGRATION_USER, roles: ['tenant-admin'] };
  const created: string[] = [];
  const existing: string[] = wanted.filter((code) => found.has(code));
  for (const code of wanted.filter((candidate) => !found.has(candidate))) {
    const group = newGroup(
      code,
      {
        name: code,
        description: 'Migrated from a free-text assignment group: set its tier, members and manager.',
        members: [],
        managerId: null,
        tier: frontLine,
        calendar: null,
        escalatesTo: null,
      },
      { tenantId, userId: MIGRATION_USER, now: options.now },
    );
    try {
      await insertGroup(group, actor);
      created.push(code);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      existing.push(code);
    }
  }
  return { tenantId, created, existing, incidentsRead, nextCursor: cursor ?? null };
}
