/**
 * Submissions that name the same CI serialise on the CI's change lock:
 * whichever commits second read the lock before the first committed, so
 * its write fails (409) and the handler retries on fresh reads, where
 * conflict detection sees the first change. Driven through the data layer
 * directly, so the interleaving is exact rather than left to timing.
 */
import { describe, expect, it } from 'vitest';
import { changeInput } from '../../support/change-fixture.js';
import { newTenant, useLocalTable } from '../api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable();
const repository = await import('#shared/data/changes/change-repository.js');
const { createChange, submitChange } = await import('#shared/domain/changes/change.js');
const { defaultApprovalSettings } = await import('#shared/domain/changes/change-approval.js');
const HOUR = 3_600_000;

describe('CI change locks', () => {
  const tenantId = newTenant('lock');
  const actor = { tenantId, userId: 'alice', roles: ['agent' as const] };
  const ctx = () => ({ actor, now: new Date().toISOString() });
  const raise = async (id: string, ciIds: string[]) => {
    const created = createChange(
      // A window ahead of the time the rules are given (windows in the past are refused).
      changeInput(new Date(Date.now() + HOUR).toISOString(), new Date(Date.now() + 2 * HOUR).toISOString(), { title: id, ciIds }),
      { id, number: `CHG${id.slice(-7)}` },
      ctx(),
      null,
    );
    await repository.insertChange(created, actor);
    return created.change;
  };
  const submit = (change: Awaited<ReturnType<typeof raise>>) => submitChange(change, ctx(), [], defaultApprovalSettings());

  it('the second of two interleaved submissions of one CI fails, and passes once it reads the lock again', async () => {
    const first = await raise('01KB0000000000000000000001', ['lock-db']);
    const second = await raise('01KB0000000000000000000002', ['lock-db', 'lock-web']);
    // Both read the lock before either commits (both saw no conflict).
    const firstLocks = await repository.readCiLocks(tenantId, first.ciIds);
    const secondLocks = await repository.readCiLocks(tenantId, second.ciIds);
    await repository.saveChange(submit(first), actor, first.version, false, firstLocks);
    await expect(repository.saveChange(submit(second), actor, second.version, false, secondLocks)).rejects.toMatchObject({ kind: 'conflict' });
    expect((await repository.getChange(tenantId, second.id))?.status).toBe('new');

    const fresh = await repository.readCiLocks(tenantId, second.ciIds);
    await repository.saveChange(submit(second), actor, second.version, false, fresh);
    expect((await repository.getChange(tenantId, second.id))?.status).toBe('assess');
  });

  it('changes of different CIs do not wait for each other', async () => {
    const a = await raise('01KB0000000000000000000003', ['lock-a']);
    const b = await raise('01KB0000000000000000000004', ['lock-b']);
    const [aLocks, bLocks] = await Promise.all([repository.readCiLocks(tenantId, a.ciIds), repository.readCiLocks(tenantId, b.ciIds)]);
    await repository.saveChange(submit(a), actor, a.version, false, aLocks);
    await repository.saveChange(submit(b), actor, b.version, false, bLocks);
    expect((await repository.getChange(tenantId, b.id))?.status).toBe('assess');
  });
});
