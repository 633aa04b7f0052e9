/**
 * Counts DynamoDB calls and consumed capacity per process. The benchmark
 * reads it to report cost per API operation; in Lambda it feeds the log
 * line of each request.
 * @module
 */

export interface CapacityReading {
  calls: number;
  /** Calls by operation name, e.g. `{ GetItem: 1, TransactWriteItems: 1 }`. */
  operations: Record<string, number>;
  readCapacityUnits: number;
  writeCapacityUnits: number;
  /** The part of `writeCapacityUnits` spent keeping secondary indexes up to date. */
  indexWriteCapacityUnits: number;
}

interface ConsumedCapacityLike {
  CapacityUnits?: number | undefined;
  ReadCapacityUnits?: number | undefined;
  WriteCapacityUnits?: number | undefined;
  GlobalSecondaryIndexes?: Record<string, { WriteCapacityUnits?: number | undefined }> | undefined;
}

let reading: CapacityReading = empty();

function empty(): CapacityReading {
  return { calls: 0, operations: {}, readCapacityUnits: 0, writeCapacityUnits: 0, indexWriteCapacityUnits: 0 };
}

const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** Records one call and the capacity DynamoDB said it consumed. */
export function recordCall(operation: string, consumed: ConsumedCapacityLike | readonly ConsumedCapacityLike[] | undefined): void {
  reading.calls += 1;
  reading.operations[operation] = (reading.operations[operation] ?? 0) + 1;
  for (const entry of consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed]) {
    const units = entry as ConsumedCapacityLike;
    // DynamoDB reports CapacityUnits only, or the split as well; prefer the split.
    const read = units.ReadCapacityUnits ?? (READ_OPERATIONS.has(operation) ? (units.CapacityUnits ?? 0) : 0);
    const write = units.WriteCapacityUnits ?? (READ_OPERATIONS.has(operation) ? 0 : (units.CapacityUnits ?? 0));
    reading.readCapacityUnits += read;
    reading.writeCapacityUnits += write;
    for (const index of Object.values(units.GlobalSecondaryIndexes ?? {})) reading.indexWriteCapacityUnits += index.WriteCapacityUnits ?? 0;
  }
}

/** Returns what was recorded since the last reset, and starts counting afresh. */
export function takeCapacityReading(): CapacityReading {
  const taken = reading;
  reading = empty();
  return taken;
}
