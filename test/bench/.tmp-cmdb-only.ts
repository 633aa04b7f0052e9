import { startLocalStack } from '/work/wt-cmdb/infra/local/local-stack.js';
import { measureCmdb } from '/work/wt-cmdb/test/bench/cmdb.js';

const scale = Number(process.argv[2] ?? '1');
const stack = await startLocalStack();
try {
  const started = Date.now();
  const figures = await measureCmdb(stack, scale);
  console.log(JSON.stringify(figures, null, 1));
  console.log('total s', (Date.now() - started) / 1000);
} finally {
  await stack.stop();
}
