/**
 * CMDB health per tenant, after ServiceNow's completeness / correctness /
 * compliance view: CIs missing expected attributes, orphan CIs (no
 * relationship at all) and stale CIs (not updated for N days). Retired CIs
 * are left out: they are history, not configuration.
 * @module
 */
import type { CiClass, CustomAttributeDefinition } from './ci.js';
import { missingAttributes } from './ci.js';

/** What health needs of each CI (its index summary). */
export interface HealthCi {
  readonly id: string;
  readonly class: CiClass;
  readonly status: string;
  readonly updatedAt: string;
  readonly filled: readonly string[];
}

export interface HealthSettings {
  readonly staleAfterDays: number;
  readonly customAttributes: readonly CustomAttributeDefinition[];
}

export interface HealthFigure {
  readonly count: number;
  /** Of the CIs counted (not retired), 0–100, one decimal. */
  readonly percent: number;
  /** Up to `sampleSize` ids, to start fixing with. */
  readonly sample: readonly string[];
}

export interface CmdbHealth {
  readonly cis: number;
  readonly retired: number;
  readonly relationships: number;
  readonly byClass: Readonly<Partial<Record<CiClass, number>>>;
  readonly missingAttributes: HealthFigure & { readonly byAttribute: Readonly<Record<string, number>> };
  readonly orphans: HealthFigure;
  readonly stale: HealthFigure & { readonly staleAfterDays: number; readonly before: string };
  /** CIs with none of the three findings, 0–100. */
  readonly healthyPercent: number;
}

const DAY_MS = 86_400_000;

export function cmdbHealth(
  cis: Iterable<HealthCi>,
  relationships: Iterable<{ readonly dependentId: string; readonly dependencyId: string }>,
  settings: HealthSettings,
  now: string,
  sampleSize = 20,
): CmdbHealth {
  const related = new Set<string>();
  let relationshipCount = 0;
  for (const relationship of relationships) {
    related.add(relationship.dependentId);
    related.add(relationship.dependencyId);
    relationshipCount += 1;
  }
  const before = new Date(Date.parse(now) - settings.staleAfterDays * DAY_MS).toISOString();
  const byClass: Partial<Record<CiClass, number>> = {};
  const byAttribute: Record<string, number> = {};
  const missing: string[] = [];
  const orphans: string[] = [];
  const stale: string[] = [];
  let counted = 0;
  let retired = 0;
  let healthy = 0;
  for (const ci of cis) {
    if (ci.status === 'retired') {
      retired += 1;
      continue;
    }
    counted += 1;
    byClass[ci.class] = (byClass[ci.class] ?? 0) + 1;
    const lacking = missingAttributes(ci.class, ci.filled, settings.customAttributes);
    for (const name of lacking) byAttribute[name] = (byAttribute[name] ?? 0) + 1;
    const findings = [lacking.length > 0 && missing.push(ci.id), !related.has(ci.id) && orphans.push(ci.id), ci.updatedAt < before && stale.push(ci.id)];
    if (!findings.some(Boolean)) healthy += 1;
  }
  const figure = (ids: string[]): HealthFigure => ({ count: ids.length, percent: percent(ids.length, counted), sample: ids.slice(0, sampleSize) });
  return {
    cis: counted,
    retired,
    relationships: relationshipCount,
    byClass,
    missingAttributes: { ...figure(missing), byAttribute },
    orphans: figure(orphans),
    stale: { ...figure(stale), staleAfterDays: settings.staleAfterDays, before },
    healthyPercent: counted === 0 ? 100 : percent(healthy, counted),
  };
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;
}
