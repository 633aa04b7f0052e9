/**
 * Local adapter for the official DynamoDB Local (1.25.1), used by `npm start` and the integration tests.
 * Needs a JRE 17 on PATH; nothing else is installed globally.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sharedClassesLaunch } from './dynamodb-local-cds.js';

const run = promisify(execFile);

/** npm package whose `emulator/` folder is the unmodified DynamoDB Local 1.25.1 distribution. */
const PACKAGE_SPEC = 'amplify-dynamodb-simulator@2.9.30';
/**
 * SHA-256 of `emulator/DynamoDBLocal.jar` in {@link PACKAGE_SPEC} (DynamoDB Local 1.25.1),
 * computed once from the registry tarball. Changing the package version means recomputing it.
 */
const DYNAMODB_LOCAL_JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';
const MARKER = '.verified';
const JAVA_MISSING = '`java` was not found on PATH: install a Java runtime (JRE 17), e.g. `apt-get install openjdk-17-jre-headless`';
const START_TIMEOUT_MS = 30_000;
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running DynamoDB Local process (restarted in place when supervised). */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` option; the same across restarts. */
  endpoint: string;
  port: number;
  /** The JVM's process id now; a supervised instance gets a new one at each restart. */
  readonly pid: number | undefined;
  /** How often the supervisor has restarted the JVM. */
  readonly restarts: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the JVM has exited. Ends supervision. Safe to call twice. */
  stop(): Promise<void>;
}

/** What the supervisor does when the JVM exits without being asked to. */
export interface DynamoDbLocalSupervision {
  /** Called after each restart, once the new JVM answers (e.g. to create the table again in memory). */
  readonly onRestart?: () => Promise<void> | void;
  /** Where the supervisor reports exits and restarts. @default console.error */
  readonly log?: (message: string) => void;
}

export interface DynamoDbLocalOptions {
  /** Default: a free port picked by the OS. */
  port?: number;
  /** If set, tables persist in this directory (`-sharedDb -dbPath`, created if missing); else `-inMemory`. */
  dataDir?: string;
  /**
   * Restart the JVM whenever it exits unasked (crash, OOM, `kill`), on the
   * same port and data directory, with a growing pause between attempts
   * (0.2 s doubling to 5 s). In memory a restart starts empty.
   * @default no supervision: an exit stays an exit
   */
  supervise?: DynamoDbLocalSupervision;
  /**
   * Where the class-sharing copy of the jar and its archive live
   * (`dynamodb-local-cds.ts`); `false` starts the plain jar.
   * @default `<repo>/.local/dynamodb-local-cds`, or `false` when `DYNAMODB_LOCAL_CDS=off`
   */
  classSharingDir?: string | false;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A complete install carries the marker; an unmarked one (e.g. copied by hand) is hashed once and then marked. */
async function isVerified(dir: string): Promise<boolean> {
  const marker = await readFile(join(dir, MARKER), 'utf8').catch(() => undefined);
  if (marker?.trim() === DYNAMODB_LOCAL_JAR_SHA256) return true;
  const actual = await sha256(join(dir, 'DynamoDBLocal.jar')).catch(() => undefined);
  if (actual !== DYNAMODB_LOCAL_JAR_SHA256) return false;
  await writeFile(join(dir, MARKER), actual).catch(() => undefined); // read-only dir: still usable
  return true;
}

/**
 * Makes sure DynamoDB Local is on disk and returns its directory (holding `DynamoDBLocal.jar` and
 * `DynamoDBLocal_lib/`): `$DYNAMODB_LOCAL_DIR`, else `<repo>/.local/dynamodb-local`. The first call fetches
 * it with `npm pack` (about 55 MB), later calls only read a marker file. Concurrent callers, even in other
 * processes, each stage a copy beside the target and rename it into place, so nobody sees a half-extracted dir.
 */
export async function ensureDynamoDbLocalJar(): Promise<string> {
  const target = resolve(process.env.DYNAMODB_LOCAL_DIR || join(REPO_ROOT, '.local', 'dynamodb-local'));
  if (existsSync(target)) {
    if (await isVerified(target)) return target;
    // Never delete: the directory may be the user's own (DYNAMODB_LOCAL_DIR).
    throw new Error(`${target} exists but does not hold DynamoDB Local 1.25.1 (sha256 mismatch); delete it and retry`);
  }
  await mkdir(dirname(target), { recursive: true });
  // Same parent as the target, so the final rename stays on one filesystem and is atomic.
  const tmp = await mkdtemp(join(dirname(target), '.dynamodb-local-tmp-'));
  try {
    await run('npm', ['pack', PACKAGE_SPEC, '--pack-destination', tmp, '--silent'], { cwd: REPO_ROOT });
    const tgz = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${PACKAGE_SPEC} produced no tarball`);
    const staging = join(tmp, 'emulator');
    await mkdir(staging);
    await run('tar', ['-xzf', join(tmp, tgz), '-C', staging, '--strip-components=2', 'package/emulator']);
    const actual = await sha256(join(staging, 'DynamoDBLocal.jar'));
    if (actual !== DYNAMODB_LOCAL_JAR_SHA256) {
      throw new Error(`DynamoDBLocal.jar from ${PACKAGE_SPEC} has sha256 ${actual}, expected ${DYNAMODB_LOCAL_JAR_SHA256}`);
    }
    await writeFile(join(staging, MARKER), actual);
    try {
      await rename(staging, target);
    } catch (err) {
      // Another process won the race; its copy is just as good once verified.
      if (!existsSync(target) || !(await isVerified(target))) throw err;
    }
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** A port free on the loopback interface now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise((ok) => server.close(ok));
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1_000);
    const done = (result: boolean) => {
      socket.destroy();
      ok(result);
    };
    socket
      .once('connect', () => done(true))
      .once('error', () => done(false))
      .once('timeout', () => done(false));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => child.once('exit', () => ok()));
}

/** Restart pauses: 0.2 s doubling to 5 s; a JVM that ran this long before it died starts the series again. */
const RESTART_DELAY_MS = { first: 200, max: 5_000, healthyAfter: 30_000 } as const;

/** Per JVM: resolves once its exit has been handled (the class-sharing archive it wrote kept). */
const settled = new WeakMap<ChildProcess, Promise<void>>();
/** Per JVM that writes the class-sharing archive as it exits: how long it may take before it is killed. */
const stopGrace = new WeakMap<ChildProcess, number>();
/** Writing the archive (~50 MB) takes seconds on a busy machine, and only the first JVM on a machine does it. */
const ARCHIVE_WRITE_GRACE_MS = 30_000;

/** SIGTERM, then SIGKILL after 5 s (more for a JVM writing its archive); resolves once the process has exited and its exit been handled. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const escalate = setTimeout(() => child.kill('SIGKILL'), stopGrace.get(child) ?? 5_000);
    child.kill('SIGTERM');
    await waitForExit(child);
    clearTimeout(escalate);
  }
  await settled.get(child);
}

/**
 * The JVM's heap: 256 MB, or `$DYNAMODB_LOCAL_HEAP` (e.g. `4g`) for a bulk
 * load of millions of items (the search benchmark at 100 k articles).
 */
function heap(): string {
  const asked = process.env.DYNAMODB_LOCAL_HEAP;
  if (asked === undefined || asked === '') return '256m';
  if (!/^\d{1,5}[mg]$/.test(asked)) throw new Error(`DYNAMODB_LOCAL_HEAP must be a size such as 512m or 4g, not ${JSON.stringify(asked)}`);
  return asked;
}

/**
 * Spawns one JVM on `port` and resolves once it answers `ListTables`;
 * throws, after killing it, if it is not ready within 30 s.
 */
async function launch(emulatorDir: string, port: number, storage: readonly string[], classSharingDir: string | false): Promise<ChildProcess> {
  // C1 only, serial GC and a small heap: fastest start, and several instances fit beside parallel test workers.
  // A raised heap means a long bulk run, where the full JIT pays for itself within a minute.
  const bulk = Boolean(process.env.DYNAMODB_LOCAL_HEAP);
  const jvm = [
    // C1 with one compiler thread and no perf-data file: less start time, and less CPU taken from the Node process starting beside it.
    ...(bulk ? [] : ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1', '-XX:-UsePerfData']),
    '-XX:+UseSerialGC',
    `-Xmx${heap()}`,
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
  ];
  // A bulk run's JVM (other flags) neither writes nor maps the class-sharing archive.
  const cds = classSharingDir && !bulk ? await sharedClassesLaunch(emulatorDir, DYNAMODB_LOCAL_JAR_SHA256, classSharingDir) : undefined;
  const args = [...jvm, ...(cds?.jvmArgs ?? []), '-jar', cds?.jar ?? 'DynamoDBLocal.jar', '-port', String(port), '-disableTelemetry', ...storage];
  const child = spawn('java', args, { cwd: cds?.cwd ?? emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  settled.set(child, new Promise((ok) => child.once('exit', (_code, signal) => ok(cds?.onExit(signal).catch(() => undefined)))));
  if (cds?.writesArchive) stopGrace.set(child, ARCHIVE_WRITE_GRACE_MS);

  // Only kept for error messages; an unread pipe would eventually block the JVM.
  let output = '';
  const keep = (data: Buffer) => {
    output = (output + data.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  await new Promise<void>((ok, fail) => {
    child.once('spawn', ok).once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? new Error(JAVA_MISSING) : err));
  });
  // Without this the JVM would outlive a test run or `npm start` that exits without calling stop().
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  // Loaded only now, while the JVM boots: `npm start` spawns it before loading anything heavy.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown = 'no TCP connection';
  // An uncaught exception in main (e.g. bind failure) does not end the JVM, so it has to be spotted in the output.
  const crashed = () => output.includes('Exception in thread "main"');
  const exited = () => child.exitCode ?? child.signalCode;
  try {
    while (Date.now() < deadline && exited() === null && !crashed()) {
      if (await acceptsTcp(port)) {
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }));
          return child;
        } catch (err) {
          lastError = err;
        }
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  } finally {
    client.destroy();
  }
  const reason =
    exited() !== null
      ? `java exited with ${exited()}`
      : crashed()
        ? 'java failed at startup'
        : `timed out after ${START_TIMEOUT_MS} ms: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  await terminate(child);
  const lastLines = output.trim().split('\n').slice(-50).join('\n');
  throw new Error(`DynamoDB Local did not become ready on port ${port} (${reason}); last output:\n${lastLines}`);
}

/**
 * Starts DynamoDB Local (downloading it first if needed) and resolves once it answers `ListTables`.
 * Use dummy credentials `local`/`local` and region `us-east-1` against it: without `dataDir`, tables are
 * scoped per access key and region. Throws, after killing the JVM, if it is not ready within 30 s.
 * With `supervise`, a JVM that exits unasked is started again on the same port and data (see
 * {@link DynamoDbLocalOptions.supervise}); clients keep their endpoint and simply see it come back.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const emulatorDir = await ensureDynamoDbLocalJar();
  const port = options.port ?? (await freePort());
  // A JVM that fails to bind stays alive, and the readiness probe would happily talk to whoever owns the port.
  if (options.port !== undefined && (await acceptsTcp(port))) throw new Error(`port ${port} is already in use`);
  // -sharedDb: one database whatever credentials and region a client uses, as with the real service.
  const storage = ['-inMemory', '-sharedDb'];
  if (options.dataDir) {
    // Resolve now: the JVM runs with cwd = emulatorDir, which would re-anchor a relative path.
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    storage.splice(0, 2, '-sharedDb', '-dbPath', dataDir);
  }

  const classSharingDir = options.classSharingDir ?? (process.env.DYNAMODB_LOCAL_CDS === 'off' ? false : join(REPO_ROOT, '.local', 'dynamodb-local-cds'));
  let child = await launch(emulatorDir, port, storage, classSharingDir);
  let startedAt = Date.now();
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;
  const supervision = options.supervise;
  const log = supervision?.log ?? ((message: string) => console.error(message));

  /** Starts the JVM again until one answers (or stop() is called), pausing longer after each failure. */
  async function restart(exit: string): Promise<void> {
    // A JVM that died soon after it started may die again: keep the pauses growing across such crashes.
    let delay = Date.now() - startedAt >= RESTART_DELAY_MS.healthyAfter ? RESTART_DELAY_MS.first : RESTART_DELAY_MS.max / 2;
    log(`DynamoDB Local exited (${exit}); restarting it on port ${port}${options.dataDir ? ' with the same data' : ' (in memory: it starts empty)'}`);
    while (!stopping) {
      await new Promise((ok) => setTimeout(ok, delay));
      if (stopping) return;
      try {
        const next = await launch(emulatorDir, port, storage, classSharingDir);
        if (stopping) return await terminate(next);
        child = next;
        startedAt = Date.now();
        restarts += 1;
        watch(next);
        await supervision?.onRestart?.();
        log(`DynamoDB Local restarted on port ${port} (restart ${restarts}, pid ${next.pid})`);
        return;
      } catch (error) {
        log(`DynamoDB Local restart failed: ${(error as Error).message.split('\n')[0]}`);
        delay = Math.min(delay * 2, RESTART_DELAY_MS.max);
      }
    }
  }

  function watch(jvm: ChildProcess): void {
    if (!supervision) return;
    jvm.once('exit', (code, signal) => {
      if (stopping) return;
      restarting = restart(signal ?? `code ${code}`).finally(() => {
        restarting = undefined;
      });
    });
  }
  watch(child);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      await restarting;
      await terminate(child);
    },
  };
}
