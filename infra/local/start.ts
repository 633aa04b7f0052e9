/**
 * `npm start`: runs the whole product locally and prints how to use it,
 * with where the start's time went (phases in ms).
 * Flags: `--in-memory` (keep nothing), `--port N` (default 3000),
 * `--data-dir DIR` (default `.local`: data in `DIR/data`, dev tokens in
 * `DIR/tokens.json`).
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// The only module loaded before DynamoDB Local is on its way: the JVM's start is the longest step, so it overlaps all the rest.
import { bootLocalTable } from './local-table-boot.js';

const began = performance.now();
const args = process.argv.slice(2);
const flag = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const inMemory = args.includes('--in-memory');
const port = Number(flag('--port') ?? process.env.PORT ?? 3000);
const localDir = flag('--data-dir') ?? fileURLToPath(new URL('../../.local', import.meta.url));
const dataDir = inMemory ? undefined : join(localDir, 'data');
const table = await bootLocalTable({ dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined });

const [{ startLocalStack }, { seedDemoCmdb }, { seedDemoData }, { seedDemoCatalogue }, { DEMO_OPERATOR, DEMO_USERS }] = await Promise.all([
  import('./local-stack.js'),
  import('./demo-cmdb.js'),
  import('./demo-data.js'),
  import('./demo-requests.js'),
  import('./demo-users.js'),
]);
const modulesLoaded = performance.now();
const stack = await startLocalStack({ port, table, exportDir: join(localDir, 'exports'), ...(dataDir ? { dataDir } : {}) });
const phases = [{ name: 'start script loaded', ms: Math.round(began) }, { name: 'modules loaded', ms: Math.round(modulesLoaded - began) }, ...stack.phases];
const seedStarted = performance.now();
const [seeded, seededCis] = stack.freshTable ? await Promise.all([seedDemoData(stack), seedDemoCmdb(stack)]) : [0, 0];
// After the demo data: the catalogue's plans dispatch to the demo tenants' groups, which must exist when an item is published.
const seededItems = stack.freshTable ? await seedDemoCatalogue(stack) : 0;
if (stack.freshTable) phases.push({ name: 'demo data seeded', ms: Math.round(performance.now() - seedStarted) });

const devUsers = [...DEMO_USERS, DEMO_OPERATOR];
const tokens = Object.fromEntries(devUsers.map((user) => [user.userId, stack.tokenFor(user)]));
const tokensFile = join(localDir, 'tokens.json');
mkdirSync(localDir, { recursive: true });
writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
const ready = Math.round(performance.now());
const tokenLines = devUsers.map((user) => `  ${user.userId.padEnd(18)} ${user.roles.join(',').padEnd(13)} ${tokens[user.userId]}`);
console.log(`
ITSM is running locally (ready ${ready} ms after the process started${seeded ? `, ${seeded} demo incidents created` : ''}${seededCis ? `, ${seededCis} demo CIs imported` : ''}${seededItems ? `, ${seededItems} catalogue items published` : ''}).
  where the time went: ${phases.map((phase) => `${phase.name} ${phase.ms} ms`).join(', ')}

  API       ${stack.url}
  OpenAPI   ${stack.url}/openapi.json
  Events    ${stack.url}/local/events  (live, server-sent events: curl -N)   ${stack.url}/local/events.json  (so far)
  DynamoDB  ${stack.dynamoDb.endpoint}  (table itsm-local, ${inMemory ? 'in memory' : `kept in ${relative(process.cwd(), join(localDir, 'data')) || '.'}, events logged to events.ndjson there`})

Dev tokens (12 h; tenants acme and globex, and the platform operator; invited users too at /local/tokens), also in ${relative(process.cwd(), tokensFile)} and at ${stack.url}/local/tokens:
${tokenLines.join('\n')}

Try it:
  TOKEN=$(curl -s ${stack.url}/local/tokens | jq -r '."acme-agent"')
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
