/**
 * Problem rules: the transition table (every action from every status),
 * priority from impact × frequency, known errors need a cause, closing
 * needs a verified fix, linking is bounded; trend decisions pick the most
 * specific due cluster and never propose twice for a claimed one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyProblemCommand,
  createProblem,
  frequencyBand,
  linkIncidents,
  PROBLEM_STATUSES,
  PROBLEM_TRANSITIONS,
  type Problem,
  type ProblemCommand,
  problemPriority,
} from '#shared/domain/problems/problem.js';
import { clustersOf, decideTrend } from '#shared/domain/problems/trend.js';

const ctx = { actor: { userId: 'agent-1' }, now: '2026-12-01T10:00:00.000Z' };
const later = (days: number) => ({ ...ctx, now: new Date(Date.parse(ctx.now) + days * 86_400_000).toISOString() });
const incident = (n: number) => ({ id: `01KB00000000000000000000${String(n).padStart(2, '0')}`, number: `INC${1000 + n}`, ciId: `vm-${n}` });
const base = (): Problem =>
  createProblem({ title: 'VPN drops', description: 'Users disconnected' }, { id: 'p1', number: 'PRB0001001', tenantId: 't' }, ctx).problem;

const COMMANDS: Record<string, ProblemCommand> = {
  accept: { action: 'accept' },
  dismiss: { action: 'dismiss', reason: 'noise' },
  assess: { action: 'assess', impact: 2 },
  analyse: { action: 'analyse' },
  'record-root-cause': { action: 'record-root-cause', method: 'five_whys', summary: 'firmware', findings: ['a'] },
  'publish-known-error': { action: 'publish-known-error', symptoms: 's', workaround: 'w', cause: 'c' },
  resolve: { action: 'resolve', changeId: 'CHG', notes: 'n', verificationDays: 0 },
  close: { action: 'close' },
  cancel: { action: 'cancel', reason: 'dup' },
};

describe('problem life cycle', () => {
  it.each(PROBLEM_STATUSES.flatMap((status) => Object.keys(COMMANDS).map((action) => [status, action] as const)))(
    '%s + %s follows the table',
    (status, action) => {
      const problem: Problem = {
        ...base(),
        status,
        rootCause: { method: 'five_whys', summary: 'x', findings: [], contributingCiIds: [], identifiedAt: ctx.now, identifiedBy: 'a' },
      };
      const allowed = PROBLEM_TRANSITIONS[action as keyof typeof PROBLEM_TRANSITIONS].from.includes(status);
      const run = () => applyProblemCommand(problem, COMMANDS[action] as ProblemCommand, ctx);
      if (!allowed) expect(run).toThrow(expect.objectContaining({ kind: 'illegal-transition' }));
      else expect(run().problem.version).toBe(problem.version + 1);
    },
  );

  it('priority is the rounded-up mean of impact and frequency band', () => {
    expect(problemPriority(1, 1)).toBe(1);
    expect(problemPriority(2, 2)).toBe(2);
    expect(problemPriority(1, 4)).toBe(3);
    expect(problemPriority(4, 4)).toBe(4);
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3, 4), fc.constantFrom(1, 2, 3, 4), (impact, band) => {
        const p = problemPriority(impact as 1, band as 1);
        expect(p).toBeGreaterThanOrEqual(Math.min(impact, band));
        expect(p).toBeLessThanOrEqual(Math.max(impact, band));
      }),
    );
  });

  it('frequency counts incidents linked in the last 90 days', () => {
    const linked = Array.from({ length: 10 }, () => ({ linkedAt: ctx.now }));
    expect(frequencyBand(linked, ctx.now)).toBe(1);
    expect(frequencyBand(linked.slice(0, 5), ctx.now)).toBe(2);
    expect(frequencyBand(linked, later(91).now)).toBe(4);
  });

  it('a trend proposal starts proposed; an agent-raised one with impact starts assessed', () => {
    const proposed = createProblem(
      {
        title: 't',
        description: 'd',
        incidents: [incident(1), incident(2)],
        source: { kind: 'trend', clusterCiId: 'host', sharedDependency: true, windowHours: 24, threshold: 2 },
      },
      { id: 'p', number: 'PRB1', tenantId: 't' },
      ctx,
    );
    expect(proposed).toMatchObject({ eventType: 'ProblemProposed', problem: { status: 'proposed', ciIds: ['vm-1', 'vm-2'] } });
    const raised = createProblem(
      { title: 't', description: 'd', impact: 1, incidents: [incident(1), incident(1)] },
      { id: 'p', number: 'PRB1', tenantId: 't' },
      ctx,
    );
    expect(raised.problem).toMatchObject({ status: 'assessed', priority: 3, source: { kind: 'incidents' } });
    expect(raised.problem.incidents).toHaveLength(1);
  });

  it('a known error needs a cause; resolving needs a root cause; closing waits for a verified fix', () => {
    const analysing: Problem = { ...base(), status: 'root_cause_analysis' };
    expect(() => applyProblemCommand(analysing, { action: 'publish-known-error', symptoms: 's', workaround: 'w' }, ctx)).toThrow(
      expect.objectContaining({ kind: 'unprocessable' }),
    );
    expect(() => applyProblemCommand(analysing, COMMANDS.resolve as ProblemCommand, ctx)).toThrow(expect.objectContaining({ kind: 'unprocessable' }));
    const withCause = applyProblemCommand(analysing, COMMANDS['record-root-cause'] as ProblemCommand, ctx).problem;
    const known = applyProblemCommand(withCause, { action: 'publish-known-error', symptoms: 's', workaround: 'w' }, ctx).problem;
    expect(known.knownError).toMatchObject({ cause: 'firmware', status: 'active', revision: 1 });
    const resolved = applyProblemCommand(known, { action: 'resolve', changeId: 'CHG', notes: 'n', verificationDays: 30 }, ctx).problem;
    expect(resolved).toMatchObject({ status: 'resolved', changeIds: ['CHG'], knownError: { status: 'fixed' } });
    expect(() => applyProblemCommand(resolved, { action: 'close' }, later(10))).toThrow(expect.objectContaining({ kind: 'unprocessable' }));
    const recurred = linkIncidents(resolved, [incident(3)], later(5))?.problem as Problem;
    expect(() => applyProblemCommand(recurred, { action: 'close' }, later(31))).toThrow(/recurred/);
    expect(applyProblemCommand(resolved, { action: 'close', note: 'ok' }, later(31)).problem.status).toBe('closed');
  });

  it('linking skips linked incidents and refuses terminal problems and oversize batches', () => {
    const problem = base();
    const once = linkIncidents(problem, [incident(1)], ctx)?.problem as Problem;
    expect(linkIncidents(once, [incident(1)], ctx)).toBeNull();
    expect(() => linkIncidents({ ...once, status: 'closed' }, [incident(2)], ctx)).toThrow(expect.objectContaining({ kind: 'illegal-transition' }));
    expect(() =>
      linkIncidents(
        once,
        Array.from({ length: 51 }, (_, i) => incident(i + 2)),
        ctx,
      ),
    ).toThrow(expect.objectContaining({ kind: 'unprocessable' }));
  });
});

describe('trend decisions', () => {
  const occ = (n: number) => ({ incidentId: `i${n}`, number: `INC${n}`, ciId: `vm-${n}`, createdAt: ctx.now });
  const clusters = clustersOf('vm-1', [{ id: 'host', depth: 1 }]);

  it('the most specific due cluster decides; below the threshold nothing happens', () => {
    const five = [1, 2, 3, 4, 5].map(occ);
    expect(
      decideTrend(
        [
          { cluster: clusters[0] as never, occurrences: [occ(1)], claim: null },
          { cluster: clusters[1] as never, occurrences: five, claim: null },
        ],
        5,
        ctx.now,
      ),
    ).toMatchObject({
      kind: 'propose',
      cluster: { ciId: 'host', sharedDependency: true },
    });
    expect(decideTrend([{ cluster: clusters[1] as never, occurrences: five.slice(0, 4), claim: null }], 5, ctx.now)).toEqual({ kind: 'none' });
    // Duplicates of one incident (a redelivered event) count once.
    expect(decideTrend([{ cluster: clusters[1] as never, occurrences: [occ(1), occ(1), occ(1), occ(1), occ(1)], claim: null }], 5, ctx.now)).toEqual({
      kind: 'none',
    });
  });

  it('a claimed cluster joins its problem until the claim lapses', () => {
    const five = [1, 2, 3, 4, 5].map(occ);
    const claim = { problemId: 'p1', until: later(1).now };
    expect(decideTrend([{ cluster: clusters[1] as never, occurrences: five, claim }], 5, ctx.now)).toEqual({
      kind: 'join',
      cluster: clusters[1],
      problemId: 'p1',
    });
    expect(decideTrend([{ cluster: clusters[1] as never, occurrences: five, claim }], 5, later(2).now)).toMatchObject({ kind: 'propose', lapsedClaim: claim });
  });
});
