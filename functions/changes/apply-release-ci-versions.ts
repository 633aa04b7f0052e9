/**
 * Target of the bus rule `ReleaseCiVersions`: a successful release writes
 * the version each of its CIs now runs (`ciVersion`) to the CMDB, one
 * audited CI change (CiUpdated) per CI. CIs the CMDB does not hold, or has
 * retired, are skipped; a CI already at that version is not written again,
 * so a redelivered event changes nothing. Throws on failure, so EventBridge
 * retries and then dead-letters.
 * @module
 */
import { now } from '#shared/clock.js';
import { getCi, saveCi } from '#shared/data/cmdb/ci-repository.js';
import { getCmdbSettings } from '#shared/data/cmdb/cmdb-settings-repository.js';
import { retryOnConflict } from '#shared/data/retry.js';
import { updateCi } from '#shared/domain/cmdb/ci.js';
import { ciRulesOf } from '#shared/domain/cmdb/cmdb-settings.js';
import type { Actor, Role } from '#shared/domain/roles.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { logger } from '#shared/observability/logger.js';

interface ReleaseCompletedEvent {
  readonly detail: {
    readonly tenantId?: string;
    readonly releaseId?: string;
    readonly actor?: { readonly userId: string; readonly roles: readonly string[] };
    readonly facts?: { readonly ciVersionUpdates?: readonly { readonly ciId: string; readonly value: string }[] };
  };
}

async function handle(event: ReleaseCompletedEvent): Promise<{ updated: number; skipped: number }> {
  const { tenantId, facts, releaseId } = event.detail ?? {};
  const updates = facts?.ciVersionUpdates ?? [];
  if (!tenantId || updates.length === 0) return { updated: 0, skipped: 0 };
  // The release manager who completed the release is the author of the CI changes.
  const actor: Actor = { tenantId, userId: event.detail.actor?.userId ?? 'release-manager', roles: (event.detail.actor?.roles ?? []) as Role[] };
  const rules = ciRulesOf((await getCmdbSettings(tenantId)).value);
  let updated = 0;
  let skipped = 0;
  for (const { ciId, value } of updates) {
    const outcome = await retryOnConflict(async () => {
      const current = await getCi(tenantId, ciId);
      if (!current || current.status === 'retired') return 'skipped';
      const change = updateCi(current, { ciVersion: value }, { actor, now: now().toISOString(), rules });
      if (!change) return 'skipped';
      await saveCi(change, current, actor, false);
      return 'updated';
    });
    if (outcome === 'updated') updated += 1;
    else skipped += 1;
  }
  logger.info('Release CI versions applied', { tenantId, releaseId, updated, skipped });
  return { updated, skipped };
}

/** The Lambda entry point: `handle` with the invocation's log keys, trace and metrics. */
export const handler = backgroundHandler('changes/apply-release-ci-versions', handle);
