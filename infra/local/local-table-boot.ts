/**
 * Starting the local table's DynamoDB Local as early as possible. The JVM
 * takes seconds to start and is the longest step of `npm start`, so the
 * start script boots it before it loads anything else (this module and
 * `dynamodb-local.ts` import only Node built-ins up front) and hands the
 * boot to the stack, which loads its modules meanwhile.
 * @module
 */
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from './dynamodb-local.js';

export const LOCAL_TABLE_NAME = 'itsm-local';

/** DynamoDB Local on a port chosen now, on its way up. */
export interface LocalTableBoot {
  readonly port: number;
  /** Resolves once it answers. */
  readonly started: Promise<DynamoDbLocal>;
  /** When the boot began (ms since the process started), for the start's phases. */
  readonly bootedAt: number;
}

/**
 * Boots DynamoDB Local for the local table: supervised, so a crashed or
 * killed JVM comes back on the same port and data while the API answers
 * 503; in memory it comes back empty, so the table is made again (a no-op
 * when the data was kept).
 */
export async function bootLocalTable(options: { readonly dataDir?: string | undefined } = {}): Promise<LocalTableBoot> {
  const bootedAt = performance.now();
  const port = await freePort();
  const started = startDynamoDbLocal({
    port,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    supervise: {
      onRestart: async () => {
        const { ensureTable } = await import('./create-table.js');
        await ensureTable(`http://127.0.0.1:${port}`, LOCAL_TABLE_NAME);
      },
    },
  });
  // Whoever awaits it handles a failure; until then it must not count as unhandled.
  started.catch(() => undefined);
  return { port, started, bootedAt };
}
