/**
 * What the SLA watch reads of an incident besides its history: the
 * incident, the thresholds announced for it and the tenant's SLA and
 * escalation policies. Four items in two partitions, read with ONE
 * strongly consistent BatchGetItem: arming runs after every incident
 * change and the escalation workflow on every wake-up, so this read is on
 * the path of each one (it was four GetItems).
 * @module
 */
import { batchGetItems } from '#shared/data/batch-get.js';
import { incidentFromItem } from '#shared/data/incidents/incident-repository.js';
import { incidentKey } from '#shared/data/incidents/keys.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { settingFromItem } from '#shared/data/settings-repository.js';
import type { Incident } from '#shared/domain/incidents/incident.js';
import type { EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import type { SlaPolicy } from '#shared/domain/sla/sla-policy.js';
import { escalationPolicyKey, slaAnnouncementsKey, slaDefinitionKey } from './keys.js';
import { ESCALATION_POLICY, SLA_POLICY } from './sla-settings-repository.js';

/** An incident as the SLA watch sees it. */
export interface WatchedIncident {
  /** Null when the incident is gone (or never was). */
  readonly incident: Incident | null;
  /** Announced threshold keys (empty when nothing was announced yet). */
  readonly announced: ReadonlySet<string>;
  /** The tenant's SLA policy (the standard SLA until an admin saves one). */
  readonly slaPolicy: SlaPolicy;
  /** The tenant's escalation policy (the seed levels until an admin saves one). */
  readonly escalationPolicy: EscalationPolicy;
}

const keyOf = (key: PrimaryKey) => `${key.PK}\u0000${key.SK}`;

/** The incident, its announcements and the tenant's policies, in one consistent read. */
export async function getWatchedIncident(tenantId: string, incidentId: string): Promise<WatchedIncident> {
  const keys = {
    incident: incidentKey(tenantId, incidentId),
    announced: slaAnnouncementsKey(tenantId, incidentId),
    slaPolicy: slaDefinitionKey(tenantId),
    escalationPolicy: escalationPolicyKey(tenantId),
  };
  const items = new Map(
    (await batchGetItems(Object.values(keys), undefined, { consistent: true })).map((item) => [keyOf(item as unknown as PrimaryKey), item]),
  );
  const found = (key: PrimaryKey) => items.get(keyOf(key));
  const incident = found(keys.incident);
  return {
    incident: incident ? incidentFromItem(incident) : null,
    announced: new Set((found(keys.announced)?.announced as Set<string> | undefined) ?? []),
    slaPolicy: settingFromItem(SLA_POLICY, found(keys.slaPolicy)).value,
    escalationPolicy: settingFromItem(ESCALATION_POLICY, found(keys.escalationPolicy)).value,
  };
}
