/**
 * Latency of get and list through the local server with 1 k and with 20 k
 * incidents in one tenant: the key design should make them flat.
 */
import { ulid } from 'ulid';
import { createIncident } from '#shared/domain/incidents/incident.js';
import { DEFAULT_PRIORITY_MATRIX, type Level } from '#shared/domain/incidents/priority-matrix.js';
import type { Actor } from '#shared/domain/roles.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

export interface LatencyFigure {
  incidents: number;
  getP50: number;
  getP99: number;
  listP50: number;
  listP99: number;
}

const TENANT = 'bench-volume';
const actor: Actor = { tenantId: TENANT, userId: 'bench-agent', roles: ['agent'] };

/** Writes incidents through the same repository the API uses (the bulk load is not what is measured). */
async function populate(from: number, to: number): Promise<string[]> {
  // Loaded only now: the data layer reads its endpoint from the environment the local stack set.
  const { insertIncident } = await import('#shared/data/incidents/incident-repository.js');
  const { formatIncidentNumber } = await import('#shared/data/incidents/incident-settings-repository.js');
  const ids: string[] = [];
  let next = from;
  const worker = async () => {
    while (next < to) {
      const sequence = ++next;
      const impact = ((sequence % 3) + 1) as Level;
      const urgency = (((sequence >> 2) % 3) + 1) as Level;
      const change = createIncident(
        {
          title: `Load ${sequence}`,
          description: 'Synthetic incident for the latency benchmark.',
          category: 'bench',
          type: 'other',
          impact,
          urgency,
          channel: 'monitoring',
        },
        { id: ulid(), number: formatIncidentNumber(sequence) },
        { actor, now: new Date().toISOString(), matrix: DEFAULT_PRIORITY_MATRIX },
      );
      await insertIncident(change, actor);
      ids.push(change.incident.id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return ids;
}

/** The `p`th percentile of `samples` (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function sample(stack: LocalStack, paths: string[], samples: number): Promise<number[]> {
  const token = stack.tokenFor({ ...actor, name: 'Bench', email: 'bench@example.com' });
  const times: number[] = [];
  for (let index = 0; index < samples + 20; index++) {
    const path = paths[index % paths.length] as string;
    const started = performance.now();
    const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    if (index >= 20) times.push(performance.now() - started); // the first 20 warm the handlers up
  }
  return times;
}

export async function measureLatency(stack: LocalStack, sizes: readonly number[] = [1_000, 20_000], samples = 400): Promise<LatencyFigure[]> {
  const figures: LatencyFigure[] = [];
  const ids: string[] = [];
  for (const size of sizes) {
    ids.push(...(await populate(ids.length, size)));
    // Every insert emits an event: let the outbox publisher and the bus finish before timing reads.
    await stack.drainEvents();
    // Three rounds, and the median of their percentiles: one GC pause or a busy neighbour
    // process should not decide a p99 taken from a few hundred samples.
    const rounds: { gets: number[]; lists: number[] }[] = [];
    for (let round = 0; round < 3; round++) {
      const gets = await sample(
        stack,
        ids.slice(0, 200).map((id) => `/incidents/${id}`),
        samples,
      );
      const lists = await sample(stack, ['/incidents?limit=25', '/incidents?status=new&limit=25', '/incidents?priority=3&limit=25'], samples);
      rounds.push({ gets, lists });
    }
    const across = (pick: (round: { gets: number[]; lists: number[] }) => number) => percentile(rounds.map(pick), 50);
    figures.push({
      incidents: size,
      getP50: across((round) => percentile(round.gets, 50)),
      getP99: across((round) => percentile(round.gets, 99)),
      listP50: across((round) => percentile(round.lists, 50)),
      listP99: across((round) => percentile(round.lists, 99)),
    });
  }
  return figures;
}
