import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { alertKey, alertPolicyKey, integrationKeyKey } from '#shared/data/alerts/keys.js';
import {
  INCIDENT_QUEUES,
  incidentIndexKeys,
  incidentKey,
  incidentQueueKey,
  incidentSettingsKey,
  noteKey,
  queuePriorityPrefix,
  queueSortKey,
} from '#shared/data/incidents/keys.js';
import { auditKey, idempotencyKey, numberLookupKey, OUTBOX_SHARDS, outboxKey, tenantPrefix } from '#shared/data/keys.js';
import { GLOBAL_INDEXES, type IndexDefinition } from '#shared/data/table-definition.js';

/** An index of the table definition; the key attribute names come from there, not from this test. */
function indexDef(indexName: string): IndexDefinition {
  const index = GLOBAL_INDEXES.find((candidate) => candidate.indexName === indexName);
  if (!index) throw new Error(`Index ${indexName} is missing from the table definition.`);
  return index;
}

/** DynamoDB puts an item in an index only when it has every key attribute of that index. */
function inIndex(keys: Record<string, string>, indexName: string): boolean {
  const index = indexDef(indexName);
  return index.partitionKey in keys && (index.sortKey === undefined || index.sortKey in keys);
}

import { incidentFixture } from '../../support/incident-fixture.js';

const SAFE_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@:-'];
/** Ids a key may contain: 1–128 of letters, digits and `. _ @ : -`. */
const safeId = fc.string({ unit: fc.constantFrom(...SAFE_CHARS), minLength: 1, maxLength: 128 });
/** ISO-8601 timestamps as `Date.toISOString` writes them (fixed width for these years). */
const isoTime = fc
  .date({ min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2099-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const incident = incidentFixture;

/** Every partition key value each builder produces for one tenant. */
function allPartitionValues(tenantId: string, id: string): string[] {
  const full = incident({ tenantId, id, requesterId: id, assignmentGroup: id, assigneeId: id, ciId: id, number: `INC${id}` });
  const indexKeys = incidentIndexKeys(full);
  return [
    tenantPrefix(tenantId),
    incidentKey(tenantId, id).PK,
    auditKey(incidentKey(tenantId, id).PK, id).PK,
    noteKey(tenantId, id, id).PK,
    incidentSettingsKey(tenantId).PK,
    idempotencyKey(tenantId, id, id).PK,
    outboxKey(tenantId, id).PK,
    numberLookupKey(tenantId, id).partitionKey,
    alertPolicyKey(tenantId).PK,
    integrationKeyKey(tenantId, id).PK,
    alertKey(tenantId, id).PK,
    ...INCIDENT_QUEUES.map((queue) => incidentQueueKey(tenantId, queue, id).partitionKey),
    ...GLOBAL_INDEXES.map((index) => indexKeys[index.partitionKey] as string),
  ];
}

describe('tenant leading key', () => {
  it('every key builder output starts with TENANT#<tenantId>#', () => {
    fc.assert(
      fc.property(safeId, safeId, (tenantId, id) => {
        for (const value of allPartitionValues(tenantId, id)) expect(value.startsWith(`TENANT#${tenantId}#`)).toBe(true);
      }),
    );
  });

  it('a fully populated incident has a partition value in every index', () => {
    // Guards the property above: it must really look at the sparse GSI3/4/6 keys too.
    const keys = incidentIndexKeys(incident({ assignmentGroup: 'g', assigneeId: 'a', ciId: 'c' }));
    for (const index of GLOBAL_INDEXES) expect(keys[index.partitionKey]).toEqual(expect.any(String));
    expect(GLOBAL_INDEXES.map((index) => index.indexName)).toEqual(['GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI5', 'GSI6', 'GSI7']);
  });

  it('a tenant prefix is never the prefix of another tenant', () => {
    fc.assert(
      fc.property(safeId, safeId, safeId, (a, b, id) => {
        fc.pre(a !== b);
        for (const value of allPartitionValues(b, id)) expect(value.startsWith(tenantPrefix(a))).toBe(false);
      }),
    );
  });
});

describe('unsafe key segments', () => {
  const unsafe = [
    { name: 'a hash', value: 'a#b' },
    { name: 'only a hash', value: '#' },
    { name: 'a space', value: 'a b' },
    { name: 'a leading space', value: ' acme' },
    { name: 'a tab', value: 'a\tb' },
    { name: 'a slash', value: 'a/b' },
    { name: 'a non-ASCII letter', value: 'münchen' },
    { name: 'nothing', value: '' },
    { name: '129 characters', value: 'x'.repeat(129) },
  ];

  it.each(unsafe)('a tenant id with $name throws', ({ value }) => {
    expect(() => tenantPrefix(value)).toThrow(/Unsafe key segment/);
    expect(() => incidentKey(value, 'i1')).toThrow(/Unsafe key segment/);
    expect(() => incidentSettingsKey(value)).toThrow(/Unsafe key segment/);
  });

  it.each(unsafe)('an id with $name throws wherever it goes into a key', ({ value }) => {
    expect(() => incidentKey('acme', value)).toThrow(/Unsafe key segment/);
    expect(() => auditKey('TENANT#acme#INCIDENT#i1', value)).toThrow(/Unsafe key segment/);
    expect(() => noteKey('acme', 'i1', value)).toThrow(/Unsafe key segment/);
    expect(() => idempotencyKey('acme', value, 'k')).toThrow(/Unsafe key segment/);
    expect(() => idempotencyKey('acme', 'u', value)).toThrow(/Unsafe key segment/);
    expect(() => outboxKey('acme', value)).toThrow(/Unsafe key segment/);
    expect(() => numberLookupKey('acme', value)).toThrow(/Unsafe key segment/);
    expect(() => incidentQueueKey('acme', 'group', value)).toThrow(/Unsafe key segment/);
    expect(() => incidentIndexKeys(incident({ requesterId: value }))).toThrow(/Unsafe key segment/);
  });

  it('128 characters are still safe', () => {
    expect(() => tenantPrefix('x'.repeat(128))).not.toThrow();
  });

  it('a queue that needs a value refuses to be built without one', () => {
    expect(() => incidentQueueKey('acme', 'status')).toThrow();
    expect(() => incidentQueueKey('acme', 'all')).not.toThrow();
  });
});

describe('queueSortKey', () => {
  const entry = fc.record({ priority: fc.integer({ min: 1, max: 5 }), createdAt: isoTime, id: safeId });

  it('sorting keys lexicographically is sorting by (priority, createdAt, id)', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 2, maxLength: 30 }), (entries) => {
        // Prepare
        const byTuple = [...entries].sort(
          (a, b) => a.priority - b.priority || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );

        // Act: DynamoDB orders string sort keys by their bytes; for ASCII that is the default JS order.
        const byKey = entries.map((e) => queueSortKey(e.priority, e.createdAt, e.id)).sort();

        // Assess
        expect(byKey).toEqual(byTuple.map((e) => queueSortKey(e.priority, e.createdAt, e.id)));
      }),
    );
  });

  it('puts a newer P1 before an older P2', () => {
    const olderP2 = queueSortKey(2, '2025-01-01T00:00:00.000Z', 'a');
    const newerP1 = queueSortKey(1, '2025-06-01T00:00:00.000Z', 'b');

    expect([olderP2, newerP1].sort()).toEqual([newerP1, olderP2]);
  });

  it('queuePriorityPrefix selects exactly the keys of one priority', () => {
    fc.assert(
      fc.property(entry, fc.integer({ min: 1, max: 5 }), (e, priority) => {
        expect(queueSortKey(e.priority, e.createdAt, e.id).startsWith(queuePriorityPrefix(priority))).toBe(e.priority === priority);
      }),
    );
  });
});

describe('incidentIndexKeys', () => {
  it('is sparse: no group, assignee or CI index attributes while those are null', () => {
    const keys = incidentIndexKeys(incident());

    for (const index of ['GSI3', 'GSI4', 'GSI6']) {
      expect(inIndex(keys, index)).toBe(false);
      expect(keys).not.toHaveProperty(indexDef(index).partitionKey);
    }
    for (const index of ['GSI1', 'GSI2', 'GSI5', 'GSI7']) expect(inIndex(keys, index)).toBe(true);
  });

  it.each([
    { name: 'only a group', overrides: { assignmentGroup: 'network-ops' }, present: ['GSI3'] },
    { name: 'a group and an assignee', overrides: { assignmentGroup: 'network-ops', assigneeId: 'agent-1' }, present: ['GSI3', 'GSI4'] },
    { name: 'only a CI', overrides: { ciId: 'ci-42' }, present: ['GSI6'] },
  ])('with $name, only those sparse indexes get attributes', ({ overrides, present }) => {
    const keys = incidentIndexKeys(incident(overrides));

    for (const index of ['GSI3', 'GSI4', 'GSI6']) {
      expect(inIndex(keys, index)).toBe(present.includes(index));
    }
  });

  const full = incident({ status: 'in_progress', requesterId: 'req-1', assignmentGroup: 'network-ops', assigneeId: 'agent-1', ciId: 'ci-42', priority: 2 });
  const queueValues = [
    { queue: 'all', value: undefined },
    { queue: 'status', value: full.status },
    { queue: 'group', value: 'network-ops' },
    { queue: 'assignee', value: 'agent-1' },
    { queue: 'requester', value: 'req-1' },
    { queue: 'ci', value: 'ci-42' },
  ] as const;

  it('covers every queue', () => {
    expect(queueValues.map((q) => q.queue).sort()).toEqual([...INCIDENT_QUEUES].sort());
  });

  it.each(queueValues)('the $queue queue reads the partition the incident is written to', ({ queue, value }) => {
    // Prepare: the index the reader queries, and its key attributes from the table definition.
    const { indexName, partitionKey } = incidentQueueKey(full.tenantId, queue, value);
    const index = indexDef(indexName);
    expect(index.sortKey).toBeDefined();

    // Act
    const keys = incidentIndexKeys(full);

    // Assess
    expect(keys[index.partitionKey]).toBe(partitionKey);
    expect(keys[index.sortKey as string]).toBe(queueSortKey(full.priority, full.createdAt, full.id));
  });

  it('each queue lives on its own index', () => {
    const indexes = INCIDENT_QUEUES.map((queue) => incidentQueueKey('acme', queue, 'x').indexName);
    expect(new Set(indexes).size).toBe(INCIDENT_QUEUES.length);
  });

  it.each([
    { name: 'status values', a: { status: 'new' as const }, b: { status: 'assigned' as const }, index: 'GSI2' },
    { name: 'requesters', a: { requesterId: 'req-1' }, b: { requesterId: 'req-2' }, index: 'GSI5' },
    { name: 'tenants', a: { tenantId: 'acme' }, b: { tenantId: 'globex' }, index: 'GSI1' },
  ])('different $name give different partitions', ({ a, b, index }) => {
    const attribute = indexDef(index).partitionKey;
    expect(incidentIndexKeys(incident(a))[attribute]).not.toBe(incidentIndexKeys(incident(b))[attribute]);
  });

  it('the number lookup partition finds the incident by its number', () => {
    const keys = incidentIndexKeys(full);

    const { indexName, partitionKey } = numberLookupKey(full.tenantId, full.number);
    expect(keys[indexDef(indexName).partitionKey]).toBe(partitionKey);
    expect(inIndex(keys, indexName)).toBe(true);
  });
});

describe('formatIncidentNumber', () => {
  let formatIncidentNumber: (sequence: number) => string;

  beforeAll(async () => {
    // The settings repository creates the DynamoDB client when it is imported.
    vi.stubEnv('TABLE_NAME', 't');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    ({ formatIncidentNumber } = await import('#shared/data/incidents/incident-settings-repository.js'));
  });

  it.each([
    { sequence: 1, number: 'INC0001001' },
    { sequence: 2, number: 'INC0001002' },
    { sequence: 9000, number: 'INC0010000' },
  ])('sequence $sequence is $number', ({ sequence, number }) => {
    expect(formatIncidentNumber(sequence)).toBe(number);
  });

  it('numbers sort in sequence order while they keep seven digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_998_999 }), fc.integer({ min: 1, max: 9_998_999 }), (a, b) => {
        const [na, nb] = [formatIncidentNumber(a), formatIncidentNumber(b)];
        expect(na).toMatch(/^INC\d{7}$/);
        expect(na < nb).toBe(a < b);
      }),
    );
  });
});

describe('alertKey', () => {
  it('turns any dedup key (ARNs, slashes, #, 255 characters) into a safe, tenant-scoped key', () => {
    fc.assert(
      fc.property(safeId, fc.string({ minLength: 1, maxLength: 255 }), (tenantId, dedupKey) => {
        const { PK, SK } = alertKey(tenantId, dedupKey);
        expect(PK).toMatch(new RegExp(`^TENANT#${tenantId.replace(/[.]/g, '\\.')}#ALERT#[A-Za-z0-9_-]{43}$`));
        expect(SK).toBe('ALERT');
      }),
    );
    expect(alertKey('acme', 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a/b#c').PK).toMatch(/^TENANT#acme#ALERT#[A-Za-z0-9_-]{43}$/);
  });

  it('gives different dedup keys different records and one dedup key the same record', () => {
    expect(alertKey('acme', 'disk-full')).toEqual(alertKey('acme', 'disk-full'));
    expect(alertKey('acme', 'disk-full').PK).not.toBe(alertKey('acme', 'disk-ful1').PK);
    expect(alertKey('acme', 'disk-full').PK).not.toBe(alertKey('globex', 'disk-full').PK);
  });

  it('refuses an unsafe integration key id', () => {
    expect(() => integrationKeyKey('acme', 'a#b')).toThrow(/Unsafe key segment/);
  });
});

describe('outboxKey: a bounded set of partitions per tenant', () => {
  it('puts every event in one of the tenant’s outbox shards, under its own id, the same key each time', () => {
    fc.assert(
      fc.property(fc.ulid(), (eventId) => {
        const { PK, SK } = outboxKey('acme', eventId);
        expect(PK).toMatch(new RegExp(`^TENANT#acme#OUTBOX#[0-${OUTBOX_SHARDS - 1}]$`));
        expect(SK).toBe(`EVENT#${eventId}`);
        expect(outboxKey('acme', eventId)).toEqual({ PK, SK });
      }),
    );
  });

  it('spreads events over every shard (so no one partition takes a tenant’s whole outbox)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const { PK } = outboxKey('acme', `01M962M6C21KDNBYZ7ZK${String(i).padStart(6, '0')}`);
      counts.set(PK, (counts.get(PK) ?? 0) + 1);
    }
    expect(counts.size).toBe(OUTBOX_SHARDS);
    for (const count of counts.values()) expect(count).toBeGreaterThan((4000 / OUTBOX_SHARDS) * 0.7);
  });
});
