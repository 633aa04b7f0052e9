/**
 * `npm start`: runs the whole product locally and prints how to use it.
 * Flags: `--in-memory` (keep nothing), `--port N` (default 3000).
 * @module
 */
import { join } from 'node:path';
import { seedDemoCmdb } from './demo-cmdb.js';
import { seedDemoData } from './demo-data.js';
import { DEMO_USERS } from './demo-users.js';
import { REPO_ROOT, startLocalStack } from './local-stack.js';

const args = process.argv.slice(2);
const inMemory = args.includes('--in-memory');
const portFlag = args.indexOf('--port');
const port = Number(portFlag >= 0 ? args[portFlag + 1] : (process.env.PORT ?? 3000));

const started = Date.now();
const stack = await startLocalStack({ port, ...(inMemory ? {} : { dataDir: join(REPO_ROOT, '.local', 'data') }) });
const seeded = stack.freshTable ? await seedDemoData(stack) : 0;
const seededCis = stack.freshTable ? await seedDemoCmdb(stack) : 0;

const tokens = DEMO_USERS.map((user) => `  ${user.userId.padEnd(18)} ${user.roles.join(',').padEnd(13)} ${stack.tokenFor(user)}`);
console.log(`
ITSM is running locally (${Date.now() - started} ms${seeded ? `, ${seeded} demo incidents created` : ''}${seededCis ? `, ${seededCis} demo CIs imported` : ''}).

  API       ${stack.url}
  OpenAPI   ${stack.url}/openapi.json
  Events    ${stack.url}/local/events  (live, server-sent events: curl -N)   ${stack.url}/local/events.json  (so far)
  DynamoDB  ${stack.dynamoDb.endpoint}  (table itsm-local, ${inMemory ? 'in memory' : 'kept in .local/data, events logged to .local/data/events.ndjson'})

Dev tokens (12 h; tenants acme and globex):
${tokens.join('\n')}

Try it:
  TOKEN=<a token above>
  curl -s ${stack.url}/incidents -H "authorization: Bearer $TOKEN"
  curl -s -X POST ${stack.url}/incidents -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
       -H "idempotency-key: $(date +%s)" \\
       -d '{"title":"Printer on fire","description":"Smoke from floor 3 printer","category":"hardware","type":"hardware","impact":2,"urgency":1}'

Press Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
