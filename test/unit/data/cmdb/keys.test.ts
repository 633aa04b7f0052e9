/** CMDB keys: tenant-led, both edges of a relationship in their CI's partition, index keys in the right indexes. */
import { describe, expect, it } from 'vitest';
import { ciImportKey, ciIndexKeys, ciKey, ciQueueKey, cmdbListKey, cmdbSettingsKey, relationshipEdgeKeys, serviceCodeKey } from '#shared/data/cmdb/keys.js';

describe('CMDB keys', () => {
  it('start with the tenant prefix', () => {
    const keys = [
      ciKey('acme', 'CI1').PK,
      serviceCodeKey('acme', 'SVC-1').PK,
      ciImportKey('acme', 'IMP').PK,
      cmdbSettingsKey('acme').PK,
      cmdbListKey('acme', 'cis').partitionKey,
      cmdbListKey('acme', 'relationships').partitionKey,
      ciQueueKey('acme', 'class', 'server').partitionKey,
      ciQueueKey('acme', 'ownerGroup', 'infra').partitionKey,
    ];
    for (const key of keys) expect(key.startsWith('TENANT#acme#')).toBe(true);
  });

  it('put each edge of a relationship in its own end, so either direction of a CI is one Query', () => {
    const { outbound, inbound } = relationshipEdgeKeys('acme', { type: 'runs_on', dependentId: 'APP', dependencyId: 'VM' });
    expect(outbound).toEqual({ PK: ciKey('acme', 'APP').PK, SK: 'REL#OUT#runs_on#VM' });
    expect(inbound).toEqual({ PK: ciKey('acme', 'VM').PK, SK: 'REL#IN#runs_on#APP' });
  });

  it('refuse ids that could break a key', () => {
    expect(() => ciKey('acme', 'a#b')).toThrow(/Unsafe/);
    expect(() => relationshipEdgeKeys('acme', { type: 'runs_on', dependentId: 'A', dependencyId: 'B#C' })).toThrow(/Unsafe/);
  });

  it('index a CI tenant-wide and by class, and by owner group only when it has one', () => {
    const base = { tenantId: 'acme', id: 'CI1', class: 'server', name: 'Host-1' };
    expect(ciIndexKeys({ ...base, ownerGroup: null })).toEqual({
      QSK: 'server#host-1#CI1',
      GSI1PK: 'TENANT#acme#CIS',
      GSI2PK: 'TENANT#acme#CIS#CLASS#server',
    });
    expect(ciIndexKeys({ ...base, ownerGroup: 'infra' }).GSI3PK).toBe('TENANT#acme#CIS#GROUP#infra');
  });
});
