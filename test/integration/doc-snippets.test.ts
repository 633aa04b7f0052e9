/**
 * Every `bash` block of the README and of the practice guides runs as
 * written, in order, in one shell, against `npm start` (the same entry
 * point, in memory, on a port and data folder of its own). curl is told
 * to fail on an HTTP error (`--fail-with-body` in a `.curlrc` of the
 * test's), so a block exits 0 only if every call it makes succeeds. Blocks
 * that are not meant to run against the local stack (starting it,
 * deploying, cleaning up) are fenced `sh`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The documents whose shell examples a reader runs, in the order a reader meets them. */
const DOCUMENTS = ['README.md', 'docs/incidents.md', 'docs/cmdb.md', 'docs/changes.md', 'docs/requests.md', 'docs/groups.md', 'docs/tenants.md'];

/** The `bash` blocks of a Markdown document, with the line each starts on. */
function bashBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index]?.trim() !== '```bash') continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end += 1;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    index = end;
  }
  return blocks;
}

const snippets = DOCUMENTS.flatMap((document) =>
  bashBlocks(readFileSync(join(REPO_ROOT, document), 'utf8')).map((block) => ({ name: `${document}:${block.line}`, code: block.code })),
);

describe('shell snippets of the README and the guides', () => {
  let server: ChildProcess | undefined;
  let api = '';
  let dir = '';
  let output = '';

  beforeAll(async () => {
    for (const tool of ['bash', 'curl', 'jq']) expect(spawnSync(tool, ['--version']).status, `${tool} is a prerequisite of the README`).toBe(0);
    dir = mkdtempSync(join(tmpdir(), 'itsm-snippets-'));
    writeFileSync(join(dir, '.curlrc'), '--fail-with-body\n--show-error\n');
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--in-memory', '--port', String(port), '--data-dir', join(dir, 'local')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new Promise<void>((resolve, reject) => {
      const keep = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Press Ctrl+C to stop.')) resolve();
      };
      server?.stdout?.on('data', keep);
      server?.stderr?.on('data', keep);
      server?.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    await started;
  }, 240_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the snippets (a renamed fence would silently skip them)', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(DOCUMENTS.length);
  });

  it('each runs and exits 0, in order, in one shell', { timeout: 180_000 }, () => {
    // One script: later blocks use what earlier ones set ($API, $json, tokens); a marker after each block says how far it got.
    const script = snippets.map((snippet, index) => `${snippet.code}\necho "__snippet_done__ ${index}"`).join('\n');
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: dir,
      env: { ...process.env, API: api, CURL_HOME: dir, HOME: dir },
      encoding: 'utf8',
      timeout: 170_000,
    });
    const done = [...run.stdout.matchAll(/__snippet_done__ (\d+)/g)].map((match) => Number(match[1]));
    const failed = snippets[done.length];
    expect({ exit: run.status, failedSnippet: failed?.name ?? null }, `stderr:\n${run.stderr}\nstdout (tail):\n${run.stdout.slice(-3000)}`).toEqual({
      exit: 0,
      failedSnippet: null,
    });
    expect(done).toEqual(snippets.map((_, index) => index));
  });
});
