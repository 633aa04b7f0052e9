/**
 * The local stand-in for a Lambda event source mapping on the table's
 * stream: it reads DynamoDB Local's stream, applies the same filter, hands
 * batches to the same handler, and retries from the first failed record as
 * Lambda does with `ReportBatchItemFailures`.
 * @module
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type _Record, DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type EventPattern, matchesEventPattern } from '#shared/events/event-pattern.js';

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  /** The event-source-mapping filter (same syntax as in CDK). */
  readonly filter: EventPattern;
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  /** @default 100 */
  readonly batchSize?: number;
  /** @default 100 */
  readonly pollIntervalMs?: number;
  /** Attempts of one batch before its first failed record is given up (logged). @default 6 */
  readonly maxAttempts?: number;
  /** Where shard positions are kept between restarts; from the stream's start when absent. */
  readonly checkpointFile?: string;
  readonly onGiveUp?: (record: DynamoDBRecord, error: string) => void;
}

export interface StreamPoller {
  /** Resolves once everything written before the call has been handed to the handler. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** How often the stream's shard list is read again while no shard has closed. */
const SHARD_REFRESH_MS = 1_000;

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const dynamo = new DynamoDBClient({ endpoint: options.endpoint, region: 'us-east-1', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'us-east-1', credentials });
  async function latestStreamArn(): Promise<string> {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn) throw new Error(`Table ${options.tableName} has no stream`);
    return arn;
  }
  let streamArn = await latestStreamArn();

  const checkpoints: Record<string, string> =
    options.checkpointFile && existsSync(options.checkpointFile) ? JSON.parse(readFileSync(options.checkpointFile, 'utf8')) : {};
  const iterators = new Map<string, string | null>();
  let running = true;
  let idle = false;
  let passes = 0;

  /** When the shard list was last read, and how many shards were closed then: a newly closed one (its iterator ran out) makes the next pass read it again. */
  let shardsReadAt = Number.NEGATIVE_INFINITY;
  let closedAtRead = 0;

  async function refreshShards(): Promise<void> {
    // Under load a pass follows a pass; describing the stream on each one was a call per pass for a list that changes
    // only when a shard closes (its iterator runs out) or, rarely, when DynamoDB Local opens a new one.
    const closed = [...iterators.values()].filter((iterator) => iterator === null).length;
    if (closed === closedAtRead && performance.now() - shardsReadAt < SHARD_REFRESH_MS) return;
    shardsReadAt = performance.now();
    closedAtRead = closed;
    const stream = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of stream.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (iterators.has(shardId)) continue;
      const after = checkpoints[shardId];
      const iterator = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      iterators.set(shardId, iterator.ShardIterator ?? null);
    }
  }

  function toLambdaRecord(record: _Record): DynamoDBRecord {
    // The SDK's AttributeValue objects have the same JSON shape as the ones Lambda delivers.
    return { ...record, eventSourceARN: streamArn } as unknown as DynamoDBRecord;
  }

  /** Invokes the handler until the batch is through, resuming from the first reported failure. */
  async function process(records: DynamoDBRecord[]): Promise<void> {
    let remaining = records.filter((record) => matchesEventPattern(options.filter, record));
    let attempts = 0;
    while (remaining.length > 0 && running) {
      let failedAt = -1;
      let error = 'handler reported a failure';
      try {
        const result = await options.handler({ Records: remaining });
        const failedId = result?.batchItemFailures?.[0]?.itemIdentifier;
        failedAt = failedId === undefined ? -1 : remaining.findIndex((record) => record.dynamodb?.SequenceNumber === failedId);
        if (failedId !== undefined && failedAt < 0) failedAt = 0; // an unknown id means: retry the whole batch
      } catch (thrown) {
        failedAt = 0;
        error = (thrown as Error).message;
      }
      if (failedAt < 0) return;
      remaining = remaining.slice(failedAt);
      attempts += 1;
      if (attempts >= (options.maxAttempts ?? 6)) {
        const [first] = remaining;
        if (first) options.onGiveUp?.(first, error);
        remaining = remaining.slice(1);
        attempts = 0;
        continue;
      }
      await sleep(50 * 2 ** attempts);
    }
  }

  async function pass(): Promise<boolean> {
    await refreshShards();
    let sawRecords = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 100 }));
      iterators.set(shardId, page.NextShardIterator ?? null);
      const records = page.Records ?? [];
      if (records.length === 0) continue;
      sawRecords = true;
      await process(records.map(toLambdaRecord));
      checkpoints[shardId] = records.at(-1)?.dynamodb?.SequenceNumber as string;
      if (options.checkpointFile) writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));
    }
    return sawRecords;
  }

  const loop = (async () => {
    while (running) {
      try {
        const busy = await pass();
        idle = !busy;
        passes += 1;
        if (!busy) await sleep(options.pollIntervalMs ?? 100);
      } catch (error) {
        if (!running) break;
        console.error('Stream poller:', (error as Error).message);
        await sleep(1_000);
        // DynamoDB Local may have been restarted (its supervisor does that): iterators from before are no longer
        // to be trusted, so the next pass takes them again from the checkpoints, on the table's current stream
        // (a new one when it came back empty, in memory).
        iterators.clear();
        shardsReadAt = Number.NEGATIVE_INFINITY;
        const arn = await latestStreamArn().catch(() => streamArn);
        if (arn !== streamArn) {
          streamArn = arn;
          for (const shardId of Object.keys(checkpoints)) delete checkpoints[shardId];
        }
      }
    }
  })();

  return {
    async drain() {
      // Two complete passes that found nothing after the call: everything earlier has been handled.
      const start = passes;
      while (running && !(idle && passes >= start + 2)) await sleep(20);
    },
    async stop() {
      running = false;
      await loop;
      dynamo.destroy();
      streams.destroy();
    },
  };
}
