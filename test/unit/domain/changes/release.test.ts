/** Release rules: approved changes only, pilot before full, result and the CI versions a success announces. */
import { describe, expect, it } from 'vitest';
import type { Change } from '#shared/domain/changes/change.js';
import { ciVersionUpdates, completeRelease, createRelease, deployStage, type NewReleaseInput } from '#shared/domain/changes/release.js';

const ctx = { actor: { tenantId: 'acme', userId: 'rel-manager' }, now: '2026-11-23T10:00:00.000Z' };
const change = (id: string, status: Change['status'], rolledBack = false) =>
  ({ id, number: `CHG-${id}`, status, rolledBack, ciIds: [`ci-${id}`] }) as unknown as Change;
const input = (overrides: Partial<NewReleaseInput> = {}): NewReleaseInput => ({
  title: 'Payments 2.4',
  description: 'd',
  softwareVersion: '2.4.0',
  changeIds: ['a', 'b'],
  deploymentPlan: [
    { name: 'pilot', ciIds: ['web-01'] },
    { name: 'full', ciIds: ['web-02', 'web-03'] },
  ],
  rollbackPlan: 'Redeploy 2.3.9',
  plannedStart: '2026-11-24T01:00:00.000Z',
  plannedEnd: '2026-11-24T03:00:00.000Z',
  ...overrides,
});
const planned = () => createRelease(input(), { id: 'R1', number: 'REL0001001' }, ctx, [change('a', 'scheduled'), change('b', 'closed')]).release;

describe('release', () => {
  it('groups approved changes; its CIs are the stages’ and the changes’', () => {
    expect(planned()).toMatchObject({ status: 'planned', ciIds: ['web-01', 'web-02', 'web-03', 'ci-a', 'ci-b'], version: 1 });
  });

  it.each([
    ['an unknown change', [change('a', 'scheduled')], /Unknown changes: b/],
    ['a change not yet approved', [change('a', 'authorise'), change('b', 'scheduled')], /CHG-a is authorise/],
    ['a rolled-back change', [change('a', 'review', true), change('b', 'scheduled')], /approved changes only/],
  ])('refuses %s (422)', (_case, changes, message) => {
    expect(() => createRelease(input(), { id: 'R', number: 'N' }, ctx, changes)).toThrow(message);
  });

  it.each([
    [
      [
        { name: 'full' as const, ciIds: [] },
        { name: 'pilot' as const, ciIds: [] },
      ],
    ],
    [
      [
        { name: 'pilot' as const, ciIds: [] },
        { name: 'pilot' as const, ciIds: [] },
      ],
    ],
  ])('refuses the plan %j', (deploymentPlan) => {
    expect(() => createRelease(input({ deploymentPlan }), { id: 'R', number: 'N' }, ctx, [change('a', 'scheduled'), change('b', 'scheduled')])).toThrow(
      /pilot then a full/,
    );
  });

  it('deploys pilot then full, then succeeds and names the version each CI now runs', () => {
    expect(() => deployStage(planned(), ctx, 'full', null)).toThrow(/next stage of the plan is pilot/);
    const pilot = deployStage(planned(), ctx, 'pilot', 'canary fine').release;
    expect(() => completeRelease(pilot, ctx, 'success', 'r')).toThrow(/full stage/);
    const full = deployStage(pilot, ctx, 'full', null).release;
    expect(full).toMatchObject({ status: 'deployed', stagesDone: [{ stage: 'pilot', notes: 'canary fine' }, { stage: 'full' }] });
    const done = completeRelease(full, ctx, 'success', 'All good');
    expect(done).toMatchObject({ eventType: 'ReleaseCompleted', release: { status: 'completed', result: 'success' } });
    expect(done.facts.ciVersionUpdates).toEqual(done.release.ciIds.map((ciId) => ({ ciId, attribute: 'version', value: '2.4.0' })));
    expect(() => deployStage(done.release, ctx, 'full', null)).toThrow(expect.objectContaining({ kind: 'illegal-transition' }));
  });

  it('a rollback after the pilot ends it rolled back, with no version written', () => {
    const pilot = deployStage(planned(), ctx, 'pilot', null).release;
    const rolledBack = completeRelease(pilot, ctx, 'rolled_back', 'Pilot errors');
    expect(rolledBack.release).toMatchObject({ status: 'rolled_back', result: 'rolled_back', report: 'Pilot errors' });
    expect(ciVersionUpdates(rolledBack.release)).toEqual([]);
  });
});
