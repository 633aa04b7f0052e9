/** Finding and presenting releases. @module */
import { getRelease, getReleaseByNumber, saveRelease } from '#shared/data/changes/release-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { type Release, type ReleaseMutation, releaseActions } from '#shared/domain/changes/release.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';

export async function findRelease(actor: Pick<Actor, 'tenantId'>, idOrNumber: string): Promise<Release> {
  const release = idOrNumber.startsWith('REL') ? await getReleaseByNumber(actor.tenantId, idOrNumber) : await getRelease(actor.tenantId, idOrNumber);
  if (!release) throw new NotFoundError(`Release ${idOrNumber} was not found.`);
  return release;
}

export function releaseResource(release: Release) {
  return { ...release, allowedActions: releaseActions(release) };
}

export function releaseResult(release: Release, statusCode = 200, headers?: Record<string, string>): ApiResult {
  return { statusCode, body: releaseResource(release), version: release.version, ...(headers ? { headers } : {}) };
}

/** Read, check If-Match, apply, write conditionally on the version read. */
export async function changeRelease(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  rule: (release: Release) => ReleaseMutation,
): Promise<Release> {
  const { mutation } = await mutateRecord({
    load: () => findRelease(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: rule,
    save: (result, release, named) => saveRelease(result, actor, release.version, named),
  });
  return mutation.release;
}
