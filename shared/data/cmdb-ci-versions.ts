/**
 * HOOK for the CMDB: a successful release sets the `version` attribute of
 * each of its CIs. The CMDB is built on another branch; until it is merged
 * there are no CI records to update, so this does nothing and says so in
 * the log. The same updates are announced in `ReleaseCompleted`
 * (`facts.ciVersionUpdates`), which the CMDB may consume instead.
 * @module
 */
import type { Actor } from '../domain/roles.js';
import { logger } from '../logger.js';

export interface CiVersionUpdate {
  readonly ciId: string;
  readonly attribute: 'version';
  readonly value: string;
}

/** Writes the CIs' new versions. TODO(cmdb): update each CI (audited, versioned) through the CMDB repository. */
export async function updateCiVersions(actor: Pick<Actor, 'tenantId'>, updates: readonly CiVersionUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  logger.info('CMDB not present: CI version updates announced in ReleaseCompleted only', { tenantId: actor.tenantId, updates: updates.length });
}
