/**
 * The local stack as a developer meets it (`npm start`, in memory, every
 * bus rule on, so each create starts its escalation workflow): time from
 * the process start to the first served request and to ready (demo data
 * seeded), and create and read throughput over HTTP at concurrency 1 and 8.
 * The start is measured twice; the second run is the one a machine that has
 * run it once sees.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { REPO_ROOT } from '../../infra/local/local-stack.js';

export interface StartFigure {
  /** From spawning the process to the first answered request (it waits while the stack comes up). */
  readonly firstRequestMs: number;
  /** From spawning to "ready" (demo data seeded, tokens written). */
  readonly readyMs: number;
  /** The phases the start printed. */
  readonly phases: string;
}

export interface ThroughputFigure {
  readonly operation: 'create' | 'read';
  readonly concurrency: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LocalStackFigures {
  readonly starts: StartFigure[];
  readonly throughput: ThroughputFigure[];
}

interface Started {
  readonly process: ChildProcess;
  readonly api: string;
  readonly figure: StartFigure;
}

async function startProcess(dir: string): Promise<Started> {
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--in-memory', '--port', String(port), '--data-dir', dir], {
    cwd: REPO_ROOT,
    // The stack's capacity, not a tier's rate limit, is measured: the demo tenants run on the top tier (see `throughput`).
    env: { ...process.env, DEFAULT_TENANT_TIER: 'premium' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<number>((resolve, reject) => {
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Press Ctrl+C to stop.')) resolve(performance.now() - began);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  let firstRequestMs = Number.NaN;
  for (;;) {
    const answered = await fetch(`${api}/openapi.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) {
      firstRequestMs = performance.now() - began;
      break;
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const readyMs = await ready;
  const phases = /where the time went: (.*)/.exec(output)?.[1] ?? '';
  return { process: child, api, figure: { firstRequestMs: Math.round(firstRequestMs), readyMs: Math.round(readyMs), phases } };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Runs `total` calls of `call`, `concurrency` at a time; answers the calls' latencies and the wall time. */
async function drive(total: number, concurrency: number, call: (index: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        const started = performance.now();
        await call(index);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - began };
}

function figure(operation: ThroughputFigure['operation'], concurrency: number, run: { latencies: number[]; wallMs: number }): ThroughputFigure {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return {
    operation,
    concurrency,
    requests: sorted.length,
    perSecond: (sorted.length / run.wallMs) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

async function throughput(api: string, quick: boolean): Promise<ThroughputFigure[]> {
  const tokens = (await (await fetch(`${api}/local/tokens`)).json()) as Record<string, string>;
  // Calls alternate between the two demo tenants, each on the premium tier (200 requests/s, burst 400), so the
  // per-tenant throttle never answers before the stack itself runs out of capacity.
  const tenants = ['acme', 'globex'].map((tenant) => ({
    headers: { authorization: `Bearer ${tokens[`${tenant}-agent`]}`, 'content-type': 'application/json' },
    ids: [] as string[],
  }));
  const tenantOf = (index: number) => tenants[index % tenants.length] as (typeof tenants)[number];
  const create = async (index: number) => {
    const tenant = tenantOf(index);
    const response = await fetch(`${api}/incidents`, {
      method: 'POST',
      headers: tenant.headers,
      body: JSON.stringify({
        title: 'Bench incident',
        description: 'Created by the local stack benchmark',
        category: 'network',
        type: 'network',
        impact: 3,
        urgency: 3,
      }),
    });
    if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
    tenant.ids.push(((await response.json()) as { id: string }).id);
  };
  const read = async (index: number) => {
    const tenant = tenantOf(index);
    const response = await fetch(`${api}/incidents/${tenant.ids[Math.floor(index / tenants.length) % tenant.ids.length]}`, { headers: tenant.headers });
    if (response.status !== 200) throw new Error(`read answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  // Warm-up: every route module loaded once, as after the first requests of a session.
  await drive(10, 2, create);
  await drive(20, 2, read);
  const figures: ThroughputFigure[] = [];
  for (const concurrency of [1, 8]) {
    figures.push(figure('create', concurrency, await drive(quick ? 40 : 200, concurrency, create)));
    figures.push(figure('read', concurrency, await drive(quick ? 200 : 1000, concurrency, read)));
  }
  return figures;
}

/** Starts the stack twice (measuring the start), and drives the second one. */
export async function measureLocalStack(quick: boolean): Promise<LocalStackFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-start-'));
  const starts: StartFigure[] = [];
  try {
    const first = await startProcess(join(dir, 'first'));
    starts.push(first.figure);
    await stopProcess(first.process);
    const second = await startProcess(join(dir, 'second'));
    starts.push(second.figure);
    try {
      return { starts, throughput: await throughput(second.api, quick) };
    } finally {
      await stopProcess(second.process);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
