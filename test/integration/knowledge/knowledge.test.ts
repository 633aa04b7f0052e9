/**
 * The knowledge base over HTTP on the local stack: an article written in
 * Chinese is reviewed and published by someone other than its author, is
 * found by "VPN 断开" and by "连接" (Segmenter words and CJK bigrams), is
 * offered when an incident is created, resolves an incident, and the
 * utilisation metric moves. Requesters find requester articles only;
 * Markdown never renders HTML; an oversize body is 422; another tenant
 * sees 404 and finds nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actorsOf, createGroups, newTenant, pollUntil, sampleIncident } from '../api-client.js';

type Article = {
  id: string;
  number: string;
  status: string;
  revision: number;
  version: number;
  content: { title: string; html: string; body: string };
  published: { revision: number } | null;
  reviewDueAt: string | null;
  completeness: { complete: boolean; missing: string[] };
  stats: { views: number };
  allowedActions: string[];
};
type Hits = { items: { kind: string; id: string; number: string; title: string; snippet: string; score: number }[]; terms: string[] };
type Metrics = {
  utilisationRate: number | null;
  accumulation: { publishedInRange: number; live: number };
  completenessRate: number | null;
  views: number;
  helpfulRate: number | null;
};

const VPN_ARTICLE = {
  title: 'VPN 连接每五分钟断开一次',
  body: [
    '## 现象',
    '远程办公时 VPN 连接每五分钟断开一次，需要重新登录。',
    '## 原因',
    '客户端的保活间隔大于网关的空闲超时。',
    '## 解决方法',
    '1. 升级 VPN 客户端到 5.2 以上。',
    '2. 把保活间隔设为 60 秒。',
    '<script>alert("x")</script> [点此](javascript:alert(1))',
  ].join('\n'),
  category: 'network',
  tags: ['vpn', '远程办公'],
  audience: ['requesters', 'agents'],
  language: 'zh-CN',
};

describe('knowledge base', () => {
  const acme = actorsOf(newTenant('kb'));
  // Incidents are dispatched only to groups that exist.
  beforeAll(() => createGroups(acme, ['network-ops']));
  const other = actorsOf(newTenant('kb-other'));
  const search = (who: { call: typeof acme.agent.call }, q: string, extra = '') =>
    who.call<Hits>('GET', `/knowledge/search?q=${encodeURIComponent(q)}${extra}`);

  it('a Chinese article is reviewed, published, found by "VPN 断开" and "连接", offered, used to resolve, and utilisation moves', async () => {
    const before = (await acme.agent.call<Metrics>('GET', '/knowledge/metrics')).body;

    const created = await acme.agent.call<Article>('POST', '/knowledge/articles', { body: VPN_ARTICLE, headers: { 'idempotency-key': 'kb-vpn-1' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', number: expect.stringMatching(/^KB\d{7}$/), completeness: { complete: true, missing: [] } });
    // Markdown renders without the author's HTML or script links.
    expect(created.body.content.html).not.toContain('<script');
    expect(created.body.content.html).toContain('&lt;script&gt;');
    expect(created.body.content.html).not.toContain('href="javascript:');
    // Not published: nobody finds it, requesters cannot read it.
    expect((await acme.requester.call('GET', `/knowledge/articles/${id}`)).status).toBe(404);

    expect((await acme.agent.call<Article>('POST', `/knowledge/articles/${id}/submit`, { body: {} })).body.status).toBe('in_review');
    // The author cannot publish their own article.
    expect((await acme.agent.call('POST', `/knowledge/articles/${id}/publish`, { body: {} })).status).toBe(403);
    const published = await acme.manager.call<Article>('POST', `/knowledge/articles/${id}/publish`, { body: {} });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', published: { revision: 1 } });
    expect(Date.parse(published.body.reviewDueAt ?? '') - Date.parse(new Date().toISOString())).toBeGreaterThan(360 * 86_400_000);

    // Found by "VPN 断开" (Segmenter words) and by "连接", by agents and requesters (the search index is built by a bus consumer).
    const byWords = await pollUntil(
      () => search(acme.agent, 'VPN 断开'),
      (response) => response.body.items.some((hit) => hit.id === id),
    );
    expect(byWords.body.terms).toEqual(['vpn', '断开']);
    expect(byWords.body.items[0]).toMatchObject({ kind: 'article', id, title: VPN_ARTICLE.title });
    expect(byWords.body.items[0]?.snippet).toContain('断开');
    expect((await search(acme.agent, '连接')).body.items.map((hit) => hit.id)).toContain(id);
    expect((await search(acme.requester, '连接')).body.items.map((hit) => hit.id)).toContain(id);
    expect((await search(acme.agent, '分钟', '&category=network')).body.items.map((hit) => hit.id)).toContain(id);
    expect((await search(acme.agent, '连接', '&category=email')).body.items).toEqual([]);

    // Requesters read the published revision.
    const read = await acme.requester.call<Article>('GET', `/knowledge/articles/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'published', allowedActions: [] });

    // An incident about it is offered the article.
    const incident = await acme.agent.call<{ id: string; suggestions: { articles: { id: string }[] } }>('POST', '/incidents', {
      body: sampleIncident({ title: 'VPN 断开', description: '用户的 VPN 连接总是断开' }),
    });
    expect(incident.status).toBe(201);
    expect(incident.body.suggestions.articles.map((hit) => hit.id)).toContain(id);
    // A service request about it is offered the article too: the request's create runs the same suggestions on what it says.
    const item = await acme.manager.call<{ id: string }>('POST', '/catalogue-items', {
      body: {
        definition: {
          name: 'VPN access',
          category: 'network',
          form: { fields: [{ key: 'problem', label: 'What fails', type: 'text' }] },
          plan: { stages: [{ name: 'Grant', tasks: [{ key: 'grant', name: 'Grant access', group: 'network-ops' }] }] },
        },
      },
    });
    await acme.manager.call('POST', `/catalogue-items/${item.body.id}/publish`);
    const raised = await acme.requester.call<{ status: string; suggestions: { articles: { id: string }[]; knownErrors: unknown[] } }>('POST', '/requests', {
      body: { itemId: item.body.id, answers: { problem: '我的 VPN 连接总是断开' } },
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body.suggestions.articles.map((hit) => hit.id)).toContain(id);
    await acme.agent.call('POST', `/incidents/${incident.body.id}/assign`, { body: { assignmentGroup: 'network-ops' } });
    const draftRef = await acme.agent.call('POST', `/incidents/${incident.body.id}/resolve`, {
      body: { code: 'solved_workaround', notes: 'x', knowledge: { kind: 'article', id: 'KB9999999' } },
    });
    expect(draftRef.status).toBe(422);
    const resolved = await acme.agent.call('POST', `/incidents/${incident.body.id}/resolve`, {
      body: { code: 'solved_workaround', notes: '按文章升级客户端', knowledge: { kind: 'article', id: published.body.number } },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);

    // Utilisation moves (counted by a bus consumer), and so do accumulation and completeness.
    const after = await pollUntil(
      () => acme.agent.call<Metrics>('GET', '/knowledge/metrics'),
      (response) => response.body.utilisationRate !== null && response.body.accumulation.live === 1,
    );
    expect(before.utilisationRate).toBeNull();
    expect(after.body).toMatchObject({ utilisationRate: 1, accumulation: { publishedInRange: 1, live: 1 }, completenessRate: 1 });
    expect(after.body.views).toBeGreaterThanOrEqual(1);

    // Helpful votes: once per user.
    expect((await acme.requester.call('POST', `/knowledge/articles/${id}/feedback`, { body: { helpful: true } })).status).toBe(204);
    expect((await acme.requester.call('POST', `/knowledge/articles/${id}/feedback`, { body: { helpful: false } })).status).toBe(409);

    // Another tenant sees nothing.
    expect((await other.agent.call('GET', `/knowledge/articles/${id}`)).status).toBe(404);
    expect((await other.agent.call('POST', `/knowledge/articles/${id}/retire`, { body: { reason: 'x' } })).status).toBe(404);
    expect((await search(other.agent, 'VPN 断开')).body.items).toEqual([]);
  });

  it('revisions are kept; agent-only articles stay hidden from requesters; retiring removes from search; oversize bodies are 422', async () => {
    const created = await acme.agent.call<Article>('POST', '/knowledge/articles', {
      body: {
        title: 'Reset the mail relay queue',
        body: '## Symptoms\nMail stuck.\n## Cause\nRelay full.\n## Resolution\nFlush the relay queue.',
        category: 'email',
        tags: ['smtp'],
        audience: ['agents'],
      },
    });
    const id = created.body.id;
    await acme.agent.call('POST', `/knowledge/articles/${id}/submit`, { body: {} });
    await acme.manager.call('POST', `/knowledge/articles/${id}/publish`, { body: {} });
    await pollUntil(
      () => search(acme.agent, 'relay queue'),
      (response) => response.body.items.some((hit) => hit.id === id),
    );
    expect((await search(acme.requester, 'relay queue')).body.items.map((hit) => hit.id)).not.toContain(id);
    expect((await search(acme.agent, 'relay queue', '&audience=requesters')).body.items.map((hit) => hit.id)).not.toContain(id);
    expect((await acme.requester.call('GET', `/knowledge/articles/${id}`)).status).toBe(404);

    // A second revision: drafted while the first stays published, reviewed, published; both kept.
    const current = await acme.agent.call<Article>('GET', `/knowledge/articles/${id}`);
    const stale = await acme.agent.call('PATCH', `/knowledge/articles/${id}`, {
      body: { title: 'x' },
      headers: { 'if-match': `"${current.body.version - 1}"` },
    });
    expect(stale.status).toBe(412);
    const edited = await acme.agent.call<Article>('PATCH', `/knowledge/articles/${id}`, {
      body: { body: '## Symptoms\nMail stuck in the relay.\n## Cause\nRelay disk full.\n## Resolution\nFlush the relay queue and grow the disk.' },
      headers: { 'if-match': `"${current.body.version}"` },
    });
    expect(edited.body).toMatchObject({ status: 'draft', revision: 2, published: { revision: 1 } });
    await acme.agent.call('POST', `/knowledge/articles/${id}/submit`, { body: {} });
    await acme.admin.call('POST', `/knowledge/articles/${id}/publish`, { body: {} });
    const revisions = await acme.agent.call<{ items: { revision: number }[] }>('GET', `/knowledge/articles/${id}/revisions`);
    expect(revisions.body.items.map((entry) => entry.revision)).toEqual([1, 2]);

    // Retired: gone from search.
    expect((await acme.agent.call<Article>('POST', `/knowledge/articles/${id}/retire`, { body: { reason: 'relay replaced' } })).body.status).toBe('retired');
    const gone = await pollUntil(
      () => search(acme.agent, 'relay queue'),
      (response) => !response.body.items.some((hit) => hit.id === id),
    );
    expect(gone.body.items.map((hit) => hit.id)).not.toContain(id);

    // 100 KB of Markdown: refused with the limit, nothing written.
    const huge = await acme.agent.call<{ status: number; limit?: number }>('POST', '/knowledge/articles', {
      body: { ...VPN_ARTICLE, body: '很'.repeat(34_000) },
    });
    expect(huge.status).toBe(422);
    expect((await acme.agent.call('GET', '/knowledge/search?q=')).status).toBe(400);
  });
});
