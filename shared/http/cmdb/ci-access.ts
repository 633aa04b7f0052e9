/**
 * What the CI handlers do the same way: find a CI of the caller's tenant,
 * present it, load the tenant's validation rules, and change a CI
 * conditionally on the version read.
 * @module
 */
import type * as z from 'zod';
import { getCi, saveCi } from '#shared/data/cmdb/ci-repository.js';
import { getCmdbSettings } from '#shared/data/cmdb/cmdb-settings-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import type { Ci, CiChange, CiRules } from '#shared/domain/cmdb/ci.js';
import { ciRulesOf } from '#shared/domain/cmdb/cmdb-settings.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';
import { CiResource } from './schemas.js';

/** The CI, if it is the caller's tenant's; anything else is not found. */
export async function findCi(actor: Actor, ciId: string): Promise<Ci> {
  const ci = await getCi(actor.tenantId, ciId);
  if (!ci) throw new NotFoundError(`CI ${ciId} was not found.`);
  return ci;
}

/** The API representation: the schema's fields, in its order (no tenant id, no storage attributes). */
export function ciResource(ci: Ci): z.infer<typeof CiResource> {
  return Object.fromEntries(Object.keys(CiResource.shape).map((field) => [field, (ci as unknown as Record<string, unknown>)[field] ?? null])) as z.infer<
    typeof CiResource
  >;
}

export function ciResult(ci: Ci, statusCode = 200, headers?: Record<string, string>): ApiResult {
  return { statusCode, body: ciResource(ci), version: ci.version, ...(headers ? { headers } : {}) };
}

export async function ciRules(tenantId: string): Promise<CiRules> {
  return ciRulesOf((await getCmdbSettings(tenantId)).value);
}

/**
 * Read (consistent), check `If-Match`, apply `change`, write conditionally
 * on the version read. A change that changes nothing writes nothing.
 */
export async function changeCi(
  actor: Actor,
  ciId: string,
  ifMatch: number | undefined,
  change: (ci: Ci) => CiChange | null | Promise<CiChange | null>,
): Promise<Ci> {
  const { record, mutation } = await mutateRecord({
    load: () => findCi(actor, ciId),
    expectedVersion: ifMatch,
    apply: change,
    save: (result, ci, named) => saveCi(result, ci, actor, named),
  });
  return mutation === null ? record : mutation.ci;
}
