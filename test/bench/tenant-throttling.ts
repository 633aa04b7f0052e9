/**
 * Noisy neighbour: tenant `calm` reads its queue at a steady rate, alone
 * and while tenant `flood` sends ten times its own tier's rate limit (from
 * another process, as another client would), on the same local stack in
 * one run: rounds of both phases, their order alternating, compared by the
 * median over the rounds of each phase's p99, so a neighbour's load on this
 * shared machine does not decide the figure. The figure is calm's p99
 * latency and error rate contended against solo (target: within 10 %), how
 * much of the flood the flooder's bucket let through, and the server
 * process's CPU per second in each phase (what the flood cost it).
 *
 * The load generator is kept off the server's back: the flooder is one
 * long-lived process, started and warmed (connections kept alive) before
 * the first phase, pacing its requests by a timer at exactly 10× the limit.
 *
 * The flooder is on the trial tier (5 requests/s, burst 10), so 10× is
 * 50 requests/s: a rate this shared two-core machine serves without the
 * load itself (rather than the throttling) being measured.
 * @module
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { percentile } from './latency.js';

export interface PhaseFigure {
  readonly phase: 'solo' | 'contended';
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The flooder's requests in this phase: answered 200 and 429. */
  readonly floodAdmitted: number;
  readonly floodThrottled: number;
  /** CPU the bench process (the local server, its data client and the calm client) spent per second of the phase. */
  readonly serverCpuMsPerSecond: number;
}

export interface ThrottlingFigures {
  readonly calmRatePerSecond: number;
  readonly floodRatePerSecond: number;
  readonly floodLimitPerSecond: number;
  readonly phases: readonly PhaseFigure[];
  /** Medians over the rounds of each phase's p99. */
  readonly soloP99Ms: number;
  readonly contendedP99Ms: number;
  /** Contended p99 ÷ solo p99 (the medians), − 1. */
  readonly p99Change: number;
  /** Contended error rate − solo error rate (fractions). */
  readonly errorRateChange: number;
  /** Medians over the rounds of the server's CPU per second, and what one flood request cost it on top of the solo phase. */
  readonly soloCpuMsPerSecond: number;
  readonly contendedCpuMsPerSecond: number;
  readonly cpuMsPerFloodRequest: number;
}

/** Sends `rate` requests a second for `seconds` (open loop: a slow answer does not slow the sender), answering each request's status and latency. */
async function paced(rate: number, seconds: number, send: () => Promise<number>): Promise<{ status: number; ms: number }[]> {
  const pending: Promise<{ status: number; ms: number }>[] = [];
  const began = performance.now();
  for (let index = 0; index < rate * seconds; index++) {
    const due = began + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const started = performance.now();
    pending.push(
      send().then(
        (status) => ({ status, ms: performance.now() - started }),
        () => ({ status: 0, ms: performance.now() - started }),
      ),
    );
  }
  return Promise.all(pending);
}

/**
 * The flooder: another node process, as in AWS the flooder is another
 * client machine, so its sending does not take the event loop the calm
 * tenant's client and the server share here. Started once and warmed (its
 * keep-alive connections open) before any phase is measured, so no phase
 * pays for a process start; each `flood` paces requests by a timer at
 * exactly `rate` a second and answers the statuses.
 */
interface Flooder {
  flood(rate: number, seconds: number): Promise<number[]>;
  stop(): void;
}

const FLOODER_SCRIPT = `
  const { setTimeout: sleep } = require('node:timers/promises');
  process.on('message', async ({ rate, seconds }) => {
    const pending = [];
    const began = performance.now();
    for (let index = 0; index < rate * seconds; index++) {
      const wait = began + (index * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(fetch(process.env.FLOOD_URL, { headers: { authorization: 'Bearer ' + process.env.FLOOD_TOKEN } })
        .then(async (response) => { await response.arrayBuffer(); return response.status; }, () => 0));
    }
    process.send(await Promise.all(pending));
  });`;

function startFlooder(url: string, token: string): Flooder {
  const child = spawn(process.execPath, ['-e', FLOODER_SCRIPT], {
    env: { ...process.env, FLOOD_URL: url, FLOOD_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    flood: (rate, seconds) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`flood client exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (statuses) => {
          child.off('exit', onExit);
          resolve(statuses as number[]);
        });
        child.send({ rate, seconds });
      }),
    stop: () => child.kill(),
  };
}

export async function measureTenantThrottling(stack: LocalStack, seconds: number, rounds: number): Promise<ThrottlingFigures> {
  const { putTenantPlan } = await import('#shared/data/tenant-limits.js');
  const { TENANT_TIER_LIMITS } = await import('#shared/domain/tenant-limits.js');
  const run = Date.now().toString(36);
  const [calm, flood] = [`bench-calm-${run}`, `bench-flood-${run}`];
  await putTenantPlan(calm, { tier: 'standard', quotaOverrides: {} });
  await putTenantPlan(flood, { tier: 'trial', quotaOverrides: {} });
  const token = (tenantId: string) =>
    stack.tokenFor({ tenantId, userId: `${tenantId}-agent`, name: 'Bench agent', email: 'bench@example.com', roles: ['agent'] });
  const [calmToken, floodToken] = [token(calm), token(flood)];
  const phases: PhaseFigure[] = [];
  const path = '/incidents?limit=5';
  const get = (bearer: string) => async () => {
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    await response.arrayBuffer();
    return response.status;
  };
  const calmRate = 20;
  const floodLimit = TENANT_TIER_LIMITS.trial.ratePerSecond;
  const floodRate = 10 * floodLimit;
  const flooder = startFlooder(`${stack.url}${path}`, floodToken);
  try {
    // Warm the routers, both tenants' plans and the flooder's connections: the first requests load modules.
    await get(calmToken)();
    await flooder.flood(floodRate, 1);
    await sleep(2_000);

    const phase = async (name: PhaseFigure['phase']): Promise<PhaseFigure> => {
      const cpuBefore = process.cpuUsage();
      const began = performance.now();
      const [calmOutcomes, floodStatuses] = await Promise.all([
        paced(calmRate, seconds, get(calmToken)),
        name === 'contended' ? flooder.flood(floodRate, seconds) : Promise.resolve([]),
      ]);
      const cpu = process.cpuUsage(cpuBefore);
      const elapsedSeconds = (performance.now() - began) / 1000;
      // The flooder's bucket refills before the next phase.
      await sleep(2_000);
      const latencies = calmOutcomes.map((outcome) => outcome.ms);
      return {
        phase: name,
        requests: calmOutcomes.length,
        errors: calmOutcomes.filter((outcome) => outcome.status !== 200).length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        floodAdmitted: floodStatuses.filter((status) => status === 200).length,
        floodThrottled: floodStatuses.filter((status) => status === 429).length,
        serverCpuMsPerSecond: (cpu.user + cpu.system) / 1000 / elapsedSeconds,
      };
    };
    // Rounds of both phases, the order alternating (solo first, then contended first), compared by their medians:
    // on a shared machine one phase alone is at the mercy of a neighbour's build, and neither phase always goes first.
    for (let round = 0; round < rounds; round++) {
      const order: PhaseFigure['phase'][] = round % 2 === 0 ? ['solo', 'contended'] : ['contended', 'solo'];
      for (const name of order) phases.push(await phase(name));
    }
  } finally {
    flooder.stop();
  }
  const median = (values: number[]) => percentile(values, 50);
  const of = (name: PhaseFigure['phase']) => phases.filter((figure) => figure.phase === name);
  const errorRate = (figures: PhaseFigure[]) =>
    figures.reduce((sum, figure) => sum + figure.errors, 0) /
    Math.max(
      1,
      figures.reduce((sum, figure) => sum + figure.requests, 0),
    );
  return {
    calmRatePerSecond: calmRate,
    floodRatePerSecond: floodRate,
    floodLimitPerSecond: floodLimit,
    phases,
    soloP99Ms: median(of('solo').map((figure) => figure.p99Ms)),
    contendedP99Ms: median(of('contended').map((figure) => figure.p99Ms)),
    p99Change: median(of('contended').map((figure) => figure.p99Ms)) / median(of('solo').map((figure) => figure.p99Ms)) - 1,
    errorRateChange: errorRate(of('contended')) - errorRate(of('solo')),
    soloCpuMsPerSecond: median(of('solo').map((figure) => figure.serverCpuMsPerSecond)),
    contendedCpuMsPerSecond: median(of('contended').map((figure) => figure.serverCpuMsPerSecond)),
    cpuMsPerFloodRequest:
      (median(of('contended').map((figure) => figure.serverCpuMsPerSecond)) - median(of('solo').map((figure) => figure.serverCpuMsPerSecond))) / floodRate,
  };
}
