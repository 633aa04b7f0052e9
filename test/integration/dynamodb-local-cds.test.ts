import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDynamoDbLocalJar, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { jarsOnlyClassPath, replaceEntry, zipEntries } from '../../infra/local/dynamodb-local-cds.js';

const SLOW = 120_000;
const cacheDir = mkdtempSync(join(tmpdir(), 'itsm-cds-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The main section's attributes, continuation lines joined. */
function manifestAttributes(manifest: Buffer): Map<string, string> {
  const lines = manifest.toString('utf8').replace(/\r\n/g, '\n').replace(/\n /g, '').split('\n');
  return new Map(lines.filter((line) => line.includes(': ')).map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]));
}

/** Whether the process has the archive mapped: the JVM maps a class-sharing archive it accepted. */
function mapsArchive(pid: number | undefined, archive: string): boolean {
  return pid !== undefined && readFileSync(`/proc/${pid}/maps`, 'utf8').includes(archive);
}

describe('DynamoDB Local class-data sharing', () => {
  it('rewrites only the manifest: every other entry of the jar is the same, and the class path names jars only', async () => {
    const jar = readFileSync(join(await ensureDynamoDbLocalJar(), 'DynamoDBLocal.jar'));
    const before = zipEntries(jar);
    const after = zipEntries(replaceEntry(jar, 'META-INF/MANIFEST.MF', jarsOnlyClassPath));

    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, content] of before) if (name !== 'META-INF/MANIFEST.MF') expect(after.get(name)?.equals(content), name).toBe(true);

    const original = manifestAttributes(before.get('META-INF/MANIFEST.MF') as Buffer);
    const rewritten = manifestAttributes(after.get('META-INF/MANIFEST.MF') as Buffer);
    const originalPath = (original.get('Class-Path') ?? '').split(' ');
    const classPath = (rewritten.get('Class-Path') ?? '').split(' ');
    expect(originalPath).toContain('.');
    expect(classPath.length).toBeGreaterThan(10);
    expect(classPath.every((entry) => entry.endsWith('.jar'))).toBe(true);
    expect(classPath).toEqual(originalPath.filter((entry) => entry.endsWith('.jar')));
    expect(rewritten.get('Main-Class')).toBe(original.get('Main-Class'));
    for (const line of (after.get('META-INF/MANIFEST.MF') as Buffer).toString('utf8').split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(72);
  });

  it(
    'writes the archive when the first JVM is stopped, and the next JVM maps it and answers',
    async () => {
      const first = await startDynamoDbLocal({ classSharingDir: cacheDir });
      await first.stop();
      const [folder] = readdirSync(cacheDir);
      const archive = join(cacheDir, folder as string, 'classes.jsa');
      expect(existsSync(archive)).toBe(true);
      // No half-written archive from this JVM is left beside it.
      expect(readdirSync(join(cacheDir, folder as string)).filter((name) => name.startsWith('classes.jsa.'))).toEqual([]);

      const second = await startDynamoDbLocal({ classSharingDir: cacheDir });
      try {
        expect(mapsArchive(second.pid, archive)).toBe(true);
        const client = new DynamoDBClient({ endpoint: second.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
        await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
        client.destroy();
      } finally {
        await second.stop();
      }

      const plain = await startDynamoDbLocal({ classSharingDir: false });
      try {
        expect(mapsArchive(plain.pid, archive)).toBe(false);
      } finally {
        await plain.stop();
      }
    },
    SLOW,
  );
});
