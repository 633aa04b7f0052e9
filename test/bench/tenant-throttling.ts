/**
 * Noisy neighbour: tenant `calm` reads its queue at a steady rate, alone
 * and then while tenant `flood` sends ten times its own tier's rate limit
 * (from another process, as another client would), on the same local stack
 * in one run: rounds of solo then contended, compared by the median of
 * each phase's p99, so a neighbour's load on this shared machine does not
 * decide the figure. The figure is calm's p99 latency and error rate
 * contended against solo (target: within 10 %), and how much of the flood
 * the flooder's bucket let through.
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
 * The flood, from a child process: in AWS the flooder is another client
 * machine, so its sending must not take the event loop the calm tenant's
 * client and the server share here. Answers the statuses it got.
 */
function floodFromChild(url: string, token: string, rate: number, seconds: number): Promise<number[]> {
  const script = `
    const { setTimeout: sleep } = require('node:timers/promises');
    (async () => {
      const pending = [];
      const began = performance.now();
      for (let index = 0; index < ${rate * seconds}; index++) {
        const wait = began + (index * 1000) / ${rate} - performance.now();
        if (wait > 0) await sleep(wait);
        pending.push(fetch(process.env.FLOOD_URL, { headers: { authorization: 'Bearer ' + process.env.FLOOD_TOKEN } })
          .then(async (response) => { await response.arrayBuffer(); return response.status; }, () => 0));
      }
      process.stdout.write(JSON.stringify(await Promise.all(pending)));
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, FLOOD_URL: url, FLOOD_TOKEN: token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as number[]) : reject(new Error(`flood client exited with ${code}`))));
  });
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
  const path = '/incidents?limit=5';
  const get = (bearer: string) => async () => {
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    await response.arrayBuffer();
    return response.status;
  };
  const calmRate = 20;
  const floodLimit = TENANT_TIER_LIMITS.trial.ratePerSecond;
  const floodRate = 10 * floodLimit;
  // Warm the routers and both tenants' plans: the first request of each loads modules.
  await get(calmToken)();
  await get(floodToken)();
  await sleep(2_000);

  const phase = async (name: PhaseFigure['phase'], withFlood: boolean): Promise<PhaseFigure> => {
    const [calmOutcomes, floodStatuses] = await Promise.all([
      paced(calmRate, seconds, get(calmToken)),
      withFlood ? floodFromChild(`${stack.url}${path}`, floodToken, floodRate, seconds) : Promise.resolve([]),
    ]);
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
    };
  };
  // Rounds of solo then contended, compared by their medians: on a shared machine one phase alone is at the mercy of a neighbour's build.
  const phases: PhaseFigure[] = [];
  for (let round = 0; round < rounds; round++) phases.push(await phase('solo', false), await phase('contended', true));
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
  };
}
