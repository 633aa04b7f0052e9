/**
 * Application class-data sharing (AppCDS) for DynamoDB Local: the JVM maps
 * the classes it loaded on an earlier run from an archive instead of
 * loading and verifying them again, which is most of its start time.
 *
 * The JVM refuses to archive with a class path that holds a non-empty
 * directory, and `DynamoDBLocal.jar`'s manifest names `.` (and the native
 * libraries) in its `Class-Path`. So the launch uses a copy of the jar whose
 * manifest names only the jars, in a cache folder of its own beside a link
 * to the unmodified `DynamoDBLocal_lib/`. The first JVM that exits when
 * asked writes the archive (`-XX:ArchiveClassesAtExit`); later launches map
 * it. A stale or foreign archive is refused by the JVM itself, which then
 * starts without it, so the worst case is the plain start.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

/** How to start the JVM from the class-sharing copy. */
export interface SharedClassesLaunch {
  /** Working directory holding the rewritten jar and the `DynamoDBLocal_lib` link. */
  readonly cwd: string;
  /** The jar to pass to `-jar`. */
  readonly jar: string;
  /** `-XX:SharedArchiveFile=…` when the archive exists, else `-XX:ArchiveClassesAtExit=…` to write it. */
  readonly jvmArgs: readonly string[];
  /** Whether this JVM writes the archive as it exits (give it time to). */
  readonly writesArchive: boolean;
  /** Call with the JVM's exit signal: keeps the archive a clean exit wrote (a killed JVM's is partial). */
  readonly onExit: (signal: NodeJS.Signals | null) => Promise<void>;
}

const JAR = 'DynamoDBLocal.jar';
const LIB = 'DynamoDBLocal_lib';
const ARCHIVE = 'classes.jsa';

/**
 * The launch from `cacheRoot/<jarSha256 prefix>/`, prepared on first use;
 * `undefined` when it cannot be prepared (the caller starts the plain jar).
 */
export async function sharedClassesLaunch(emulatorDir: string, jarSha256: string, cacheRoot: string): Promise<SharedClassesLaunch | undefined> {
  const dir = join(cacheRoot, jarSha256.slice(0, 16));
  try {
    if (!existsSync(join(dir, JAR))) await prepare(emulatorDir, dir);
  } catch {
    return undefined;
  }
  const archive = join(dir, ARCHIVE);
  if (existsSync(archive)) {
    return {
      cwd: dir,
      jar: JAR,
      jvmArgs: [`-XX:SharedArchiveFile=${archive}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'],
      writesArchive: false,
      onExit: async () => {},
    };
  }
  // One JVM at a time writes it: several writing at once would each spend seconds of CPU for one file.
  const lock = join(dir, `${ARCHIVE}.lock`);
  if (!(await claim(lock))) return { cwd: dir, jar: JAR, jvmArgs: [], writesArchive: false, onExit: async () => {} };
  const pending = `${archive}.${process.pid}`;
  return {
    cwd: dir,
    jar: JAR,
    jvmArgs: [`-XX:ArchiveClassesAtExit=${pending}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'],
    writesArchive: true,
    onExit: async (signal) => {
      if (signal !== 'SIGKILL' && existsSync(pending)) await rename(pending, archive).catch(() => undefined);
      await rm(pending, { force: true });
      await rm(lock, { force: true });
    },
  };
}

/** Creates the lock file holding this process id; a lock whose process is gone is taken over. */
async function claim(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false;
      await rm(lock, { force: true });
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function prepare(emulatorDir: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const link = join(dir, LIB);
  if (!existsSync(link)) await symlink(join(emulatorDir, LIB), link, 'dir').catch(() => undefined);
  const staged = join(dir, `${JAR}.${process.pid}.tmp`);
  await writeFile(staged, replaceEntry(await readFile(join(emulatorDir, JAR)), 'META-INF/MANIFEST.MF', jarsOnlyClassPath));
  await rename(staged, join(dir, JAR));
}

/** The manifest with a `Class-Path` that names only jars (no `.`, no native libraries, no loose files). */
export function jarsOnlyClassPath(manifest: Buffer): Buffer {
  const lines = manifest.toString('utf8').replace(/\r\n/g, '\n').replace(/\n /g, '').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const rewritten = line.startsWith('Class-Path:')
      ? `Class-Path: ${line
          .slice('Class-Path:'.length)
          .split(' ')
          .filter((entry) => entry.endsWith('.jar'))
          .join(' ')}`
      : line;
    out.push(...wrap(rewritten));
  }
  return Buffer.from(`${out.join('\r\n')}\r\n\r\n`, 'utf8');
}

/** Manifest lines are at most 72 bytes; continuations start with a space. */
function wrap(line: string): string[] {
  const parts = [line.slice(0, 72)];
  for (let at = 72; at < line.length; at += 71) parts.push(` ${line.slice(at, at + 71)}`);
  return parts;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;

/** One entry: its central-directory header and its whole local record (header, data, any data descriptor). */
interface ZipEntry {
  readonly name: string;
  readonly central: Buffer;
  readonly local: Buffer;
}

/** The entries in the order of their records, and the end-of-central-directory record. Enough zip for a jar: no ZIP64, no multi-disk, no encryption. */
function parseZip(zip: Buffer): { entries: ZipEntry[]; end: Buffer } {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || zip.readUInt32LE(endAt) !== END_OF_CENTRAL) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(endAt + 10);
  const centralAt = zip.readUInt32LE(endAt + 16);
  const headers: { central: Buffer; localAt: number }[] = [];
  for (let at = centralAt, i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error('corrupt zip: bad central directory header');
    const size = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    headers.push({ central: zip.subarray(at, at + size), localAt: zip.readUInt32LE(at + 42) });
    at += size;
  }
  headers.sort((a, b) => a.localAt - b.localAt);
  // A record runs to the next one: that also covers a data descriptor after the data.
  const entries = headers.map(({ central, localAt }, i) => {
    const local = zip.subarray(localAt, headers[i + 1]?.localAt ?? centralAt);
    if (local.readUInt32LE(0) !== LOCAL_HEADER) throw new Error('corrupt zip: bad local header');
    return { name: central.toString('utf8', 46, 46 + central.readUInt16LE(28)), central, local };
  });
  return { entries, end: zip.subarray(endAt) };
}

function contentOf({ central, local }: ZipEntry): Buffer {
  const method = central.readUInt16LE(10);
  const dataAt = 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const data = local.subarray(dataAt, dataAt + central.readUInt32LE(20));
  if (method === 0) return Buffer.from(data);
  if (method === 8) return inflateRawSync(data);
  throw new Error(`unsupported zip compression method ${method}`);
}

/** The content of each entry of `zip`, by name. */
export function zipEntries(zip: Buffer): Map<string, Buffer> {
  return new Map(parseZip(zip).entries.map((entry) => [entry.name, contentOf(entry)]));
}

/**
 * A copy of the zip `zip` with the entry `name` replaced by `transform` of
 * its content, stored uncompressed; every other entry is copied byte for byte.
 */
export function replaceEntry(zip: Buffer, name: string, transform: (content: Buffer) => Buffer): Buffer {
  const { entries, end } = parseZip(zip);
  const records: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const central = Buffer.from(entry.central);
    let record = entry.local;
    if (entry.name === name) {
      const content = transform(contentOf(entry));
      const nameBytes = Buffer.from(name, 'utf8');
      const header = Buffer.alloc(30);
      header.writeUInt32LE(LOCAL_HEADER, 0);
      header.writeUInt16LE(10, 4); // version needed: 1.0
      header.writeUInt16LE(entry.local.readUInt16LE(6) & ~0x08, 6); // no data descriptor: the sizes are known
      header.writeUInt16LE(0, 8); // stored
      header.writeUInt32LE(entry.local.readUInt32LE(10), 10); // time and date
      header.writeUInt32LE(crc32(content), 14);
      header.writeUInt32LE(content.length, 18);
      header.writeUInt32LE(content.length, 22);
      header.writeUInt16LE(nameBytes.length, 26);
      record = Buffer.concat([header, nameBytes, content]);
      central.writeUInt16LE(central.readUInt16LE(8) & ~0x08, 8);
      central.writeUInt16LE(0, 10);
      central.writeUInt32LE(crc32(content), 16);
      central.writeUInt32LE(content.length, 20);
      central.writeUInt32LE(content.length, 24);
    }
    central.writeUInt32LE(offset, 42);
    records.push(record);
    centrals.push(central);
    offset += record.length;
  }
  const directory = Buffer.concat(centrals);
  const endRecord = Buffer.from(end);
  endRecord.writeUInt32LE(directory.length, 12);
  endRecord.writeUInt32LE(offset, 16);
  return Buffer.concat([...records, directory, endRecord]);
}
