/**
 * Outbound webhooks end to end: subscriptions over the API, events from the
 * bus delivered to a local receiver, signatures verified as a receiver
 * would, retries, disabling with an event, re-enabling and replay, rotation.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyWebhookSignature } from '#shared/events/webhook-signature.js';
import { actorsOf, newTenant, resolveInTests, sampleIncident } from '../api-client.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

/** A receiver that records every request and answers with whatever `respond` says. */
class Receiver {
  readonly received: Received[] = [];
  respond = () => 204;
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answeredWith = this.respond();
      this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answeredWith });
      response.writeHead(answeredWith).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.received;
  }
}

const headersOf = (received: Received) => received.headers as Record<string, string | undefined>;
type Webhook = { id: string; secret: string; enabled: boolean; version: number; disabledReason: string | null };
type Delivery = { id: string; status: string; attempts: number; lastResponseStatus: number | null; eventType: string };

describe('webhooks', () => {
  const tenant = actorsOf(newTenant('hooks'));
  const receiver = new Receiver();
  let url: string;

  beforeAll(async () => {
    url = await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('delivers matching events, signed so the receiver can verify them', async () => {
    // Prepare: a subscription to P1/P2 creations only
    const created = await tenant.admin.call<Webhook>('POST', '/webhooks', {
      body: {
        name: 'ops chat',
        url,
        pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentCreated'], detail: { priority: [{ numeric: ['<=', 2] }] } },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await tenant.admin.call<{ items: Record<string, unknown>[] }>('GET', '/webhooks');
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).not.toHaveProperty('secret');
    expect(listed.body.items[0]).not.toHaveProperty('secrets');

    // Act: one incident that matches, one that does not
    await tenant.agent.call('POST', '/incidents', { body: sampleIncident({ impact: 3, urgency: 3, title: 'Low' }) });
    const urgent = await tenant.agent.call<{ id: string }>('POST', '/incidents', { body: sampleIncident({ impact: 1, urgency: 1, title: 'Urgent' }) });
    const [delivery] = await receiver.waitFor(1);

    // Assess
    if (!delivery) throw new Error('nothing delivered');
    const event = JSON.parse(delivery.body) as { 'detail-type': string; detail: { incidentId: string } };
    expect(event['detail-type']).toBe('IncidentCreated');
    expect(event.detail.incidentId).toBe(urgent.body.id);
    expect(verifyWebhookSignature(created.body.secret, headersOf(delivery), delivery.body)).toBe(true);
    expect(verifyWebhookSignature(created.body.secret, headersOf(delivery), delivery.body.replace('Urgent', 'Urgent!'))).toBe(false);
    expect(verifyWebhookSignature('whsec_c29tZW9uZSBlbHNl', headersOf(delivery), delivery.body)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(1);
    const log = await tenant.admin.call<{ items: Delivery[] }>('GET', `/webhooks/${created.body.id}/deliveries`);
    expect(log.body.items).toMatchObject([
      { id: headersOf(delivery)['webhook-id'], status: 'succeeded', attempts: 1, lastResponseStatus: 204, eventType: 'IncidentCreated' },
    ]);

    await tenant.admin.call('DELETE', `/webhooks/${created.body.id}`);
  });

  it('retries a failing receiver, disables the subscription with an event, and replays after re-enabling', async () => {
    receiver.received.length = 0;
    receiver.respond = () => 503;
    const hook = (await tenant.admin.call<Webhook>('POST', '/webhooks', { body: { name: 'flaky', url, pattern: { 'detail-type': ['IncidentCreated'] } } }))
      .body;
    await tenant.agent.call('POST', '/incidents', { body: sampleIncident() });

    const attempts = await receiver.waitFor(3);
    expect(attempts.map((attempt) => attempt.answeredWith)).toEqual([503, 503, 503]);
    expect(new Set(attempts.map((attempt) => headersOf(attempt)['webhook-id'])).size).toBe(1);
    for (const attempt of attempts) expect(verifyWebhookSignature(hook.secret, headersOf(attempt), attempt.body)).toBe(true);

    // The subscription is off, and the bus says so.
    let disabled: Webhook | undefined;
    for (let wait = 0; wait < 50 && disabled?.enabled !== false; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      disabled = (await tenant.admin.call<Webhook>('GET', `/webhooks/${hook.id}`)).body;
    }
    expect(disabled).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('failed 3 times') });
    const busEvents = (await (
      await fetch(`${inject('apiUrl')}/local/events.json?tenantId=${tenant.tenantId}&detailType=WebhookSubscriptionDisabled`)
    ).json()) as { items: { detail: { subscriptionId: string } }[] };
    expect(busEvents.items.map((event) => event.detail.subscriptionId)).toContain(hook.id);
    const [failed] = (await tenant.admin.call<{ items: Delivery[] }>('GET', `/webhooks/${hook.id}/deliveries`)).body.items;
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastResponseStatus: 503 });

    // Replaying needs the subscription back on; then it goes through.
    expect((await tenant.admin.call('POST', `/webhooks/${hook.id}/deliveries/${failed?.id}/replay`)).status).toBe(409);
    receiver.respond = () => 200;
    const enabled = await tenant.admin.call<Webhook>('PATCH', `/webhooks/${hook.id}`, {
      body: { enabled: true },
      headers: { 'if-match': `"${disabled?.version}"` },
    });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    const replayed = await tenant.admin.call<Delivery>('POST', `/webhooks/${hook.id}/deliveries/${failed?.id}/replay`);
    expect(replayed.body).toMatchObject({ status: 'succeeded', attempts: 1, lastResponseStatus: 200 });
    expect(receiver.received.at(-1)?.answeredWith).toBe(200);
    await tenant.admin.call('DELETE', `/webhooks/${hook.id}`);
  });

  it('signs with both secrets while a rotation overlaps', async () => {
    receiver.received.length = 0;
    receiver.respond = () => 204;
    const hook = (await tenant.admin.call<Webhook>('POST', '/webhooks', { body: { name: 'rotating', url, pattern: { 'detail-type': ['IncidentCreated'] } } }))
      .body;
    const rotated = await tenant.admin.call<Webhook>('POST', `/webhooks/${hook.id}/rotate-secret`, { headers: { 'if-match': '"1"' } });
    expect(rotated.body.secret).not.toBe(hook.secret);
    await tenant.agent.call('POST', '/incidents', { body: sampleIncident() });
    const [delivery] = await receiver.waitFor(1);
    if (!delivery) throw new Error('nothing delivered');
    expect(headersOf(delivery)['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyWebhookSignature(rotated.body.secret, headersOf(delivery), delivery.body)).toBe(true);
    expect(verifyWebhookSignature(hook.secret, headersOf(delivery), delivery.body)).toBe(true);
    await tenant.admin.call('DELETE', `/webhooks/${hook.id}`);
  });

  it('refuses bad targets and filters, non-admins and other tenants', async () => {
    const other = actorsOf(newTenant('hooks-other'));
    const plainHttp = await tenant.admin.call('POST', '/webhooks', {
      body: { name: 'x', url: 'http://hooks.example.com/x', pattern: { source: ['itsm.incidents'] } },
    });
    expect(plainHttp.status).toBe(422);
    const badPattern = await tenant.admin.call<{ problems: string[] }>('POST', '/webhooks', {
      body: { name: 'x', url, pattern: { source: 'itsm.incidents' } },
    });
    expect(badPattern.status).toBe(422);
    expect(badPattern.body.problems.length).toBeGreaterThan(0);
    expect((await tenant.manager.call('POST', '/webhooks', { body: { name: 'x', url, pattern: { source: ['itsm.incidents'] } } })).status).toBe(403);
    const mine = (await tenant.admin.call<Webhook>('POST', '/webhooks', { body: { name: 'mine', url, pattern: { source: ['itsm.none'] } } })).body;
    expect((await other.admin.call('GET', `/webhooks/${mine.id}`)).status).toBe(404);
    expect((await other.admin.call('DELETE', `/webhooks/${mine.id}`)).status).toBe(404);
    expect((await other.admin.call<{ items: unknown[] }>('GET', '/webhooks')).body.items).toEqual([]);
  });
});

describe('webhooks and the outbound guard', () => {
  const tenant = actorsOf(newTenant('hooks-ssrf'));
  const never = { 'detail-type': ['NeverPublished'] };
  // Tests run on one machine: a guard that failed would connect to what these names and literals point at, so
  // the private targets are 0.0.0.0 (Linux delivers it to this machine) or refused before any connection by design.
  const unique = () => Math.random().toString(36).slice(2, 10);

  async function deliveriesOf(id: string): Promise<Delivery[]> {
    return (await tenant.admin.call<{ items: Delivery[] }>('GET', `/webhooks/${id}/deliveries`)).body.items;
  }

  async function settled(id: string): Promise<Delivery & { lastError: string | null }> {
    for (let wait = 0; wait < 150; wait++) {
      const [delivery] = await deliveriesOf(id);
      if (delivery?.status === 'failed') return delivery as Delivery & { lastError: string | null };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no failed delivery for ${id}`);
  }

  it('answers 422 naming the field for private, loopback-disguised and credential-carrying URLs, and writes nothing', async () => {
    const internal = `internal-${unique()}.hooks.test`;
    resolveInTests(internal, ['93.184.216.34', '10.0.0.7']);
    const urls = [
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:a9fe:a9fe]/latest/meta-data/',
      'https://0xa9fea9fe/',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      'http://10.0.0.1/hook',
      'https://user:secret@93.184.216.34/hook',
      `https://${internal}/hook`,
    ];
    for (const url of urls) {
      const answer = await tenant.admin.call<{ field: string; type: string }>('POST', '/webhooks', { body: { name: 'x', url, pattern: never } });
      expect(answer.status, url).toBe(422);
      expect(answer.headers.get('content-type'), url).toContain('application/problem+json');
      expect(answer.body.field, url).toBe('url');
    }
    expect((await tenant.admin.call<{ items: unknown[] }>('GET', '/webhooks')).body.items).toEqual([]);

    // Changing a saved subscription's URL is checked the same way, and leaves it as it was.
    const publicName = `ok-${unique()}.hooks.test`;
    resolveInTests(publicName, ['93.184.216.34']);
    const saved = await tenant.admin.call<Webhook & { url: string }>('POST', '/webhooks', {
      body: { name: 'x', url: `https://${publicName}/hook`, pattern: never },
    });
    expect(saved.status).toBe(201);
    const patched = await tenant.admin.call('PATCH', `/webhooks/${saved.body.id}`, {
      body: { url: `https://${internal}/hook` },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(422);
    expect((await tenant.admin.call<Webhook & { url: string }>('GET', `/webhooks/${saved.body.id}`)).body).toMatchObject({
      version: 1,
      url: `https://${publicName}/hook`,
    });
    await tenant.admin.call('DELETE', `/webhooks/${saved.body.id}`, { headers: { 'if-match': '"1"' } });
  });

  it('refuses a delivery whose name now resolves to a private address (DNS rebinding) and records it as failed', async () => {
    const receiver = new Receiver();
    const port = Number(new URL(await receiver.start()).port);
    try {
      const name = `rebind-${unique()}.hooks.test`;
      resolveInTests(name, ['93.184.216.34']);
      const hook = await tenant.admin.call<Webhook>('POST', '/webhooks', {
        body: { name: 'rebinding', url: `https://${name}:${port}/hook`, pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentCreated'] } },
      });
      expect(hook.status).toBe(201);
      resolveInTests(name, ['0.0.0.0']);

      await tenant.agent.call('POST', '/incidents', { body: sampleIncident() });

      const failed = await settled(hook.body.id);
      expect(failed).toMatchObject({ attempts: 3, lastResponseStatus: null });
      expect(failed.lastError).toMatch(/^Refused: .*0\.0\.0\.0 \(unspecified\)/);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('does not follow a redirect to a private address: the 3xx is a failed attempt', async () => {
    const target = new Receiver();
    const targetPort = Number(new URL(await target.start()).port);
    const redirecting = createServer((_request, response) => response.writeHead(307, { location: `http://0.0.0.0:${targetPort}/hook` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const hook = await tenant.admin.call<Webhook>('POST', '/webhooks', {
        body: {
          name: 'redirecting',
          url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`,
          pattern: { source: ['itsm.incidents'], 'detail-type': ['IncidentCreated'] },
        },
      });
      expect(hook.status).toBe(201);

      await tenant.agent.call('POST', '/incidents', { body: sampleIncident() });

      const failed = await settled(hook.body.id);
      expect(failed).toMatchObject({ attempts: 3, lastResponseStatus: 307, lastError: 'HTTP 307 (redirects are not followed)' });
      expect(target.received).toEqual([]);
    } finally {
      await target.stop();
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});
