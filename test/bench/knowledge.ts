/**
 * Knowledge search and problem trend detection at volume, on the local
 * stack's DynamoDB Local:
 *
 * - search p50 / p99, calls and RCU at a small and a large knowledge base
 *   per tenant, Chinese and English queries. The small tenant's articles
 *   go through the real indexer (`indexArticle`). The large one is built
 *   for what a query reads: the postings of the query terms for every
 *   document (each term in every document, the worst case for a bounded
 *   read) and the heads of the best-scoring documents; writing every term
 *   of 100 k articles (~10 M items) is out of reach of DynamoDB Local on
 *   this machine, and the other terms' partitions are never read by these
 *   queries.
 * - write cost of publishing one article: the publish request and the
 *   indexer run it triggers.
 * - trend detection per incident created (`detectTrend`, as the bus
 *   consumer runs it) and suggestions on incident create (`suggestFor`).
 */
import { ulid } from 'ulid';
import { batchWriteItems } from '#shared/data/batch-write.js';
import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import { insertArticle, saveArticle } from '#shared/data/knowledge/article-repository.js';
import { documentHeadKey, postingPartition } from '#shared/data/knowledge/keys.js';
import { adjustTotals } from '#shared/data/knowledge/search-index.js';
import { applyArticleCommand, createArticle } from '#shared/domain/knowledge/article.js';
import { impactSortKey } from '#shared/domain/knowledge/ranking.js';
import { queryTerms } from '#shared/domain/knowledge/tokenise.js';
import type { Actor } from '#shared/domain/roles.js';
import { indexArticle } from '#shared/services/knowledge/indexer.js';
import { POSTINGS_PER_TERM, searchKnowledge, suggestFor } from '#shared/services/knowledge/search.js';
import { detectTrend } from '#shared/services/problems/trend-detection.js';
import type { LocalStack } from '../../infra/local/local-stack.js';

export interface SearchFigure extends CapacityReading {
  readonly articles: number;
  readonly query: string;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Per search. */
  readonly callsPerSearch: number;
  readonly rcuPerSearch: number;
}

export interface CostFigure extends CapacityReading {
  readonly what: string;
}

export interface KnowledgeFigures {
  readonly search: SearchFigure[];
  readonly ratios: { query: string; ratio: number }[];
  readonly costs: CostFigure[];
}

const QUERIES = ['VPN 断开', '连接', 'printer offline', 'VPN disconnects every five minutes'] as const;

const WORDS = [
  '网络',
  '打印',
  '邮件',
  '密码',
  '账号',
  '登录',
  '服务器',
  '磁盘',
  '备份',
  '数据库',
  'outlook',
  'excel',
  'laptop',
  'wifi',
  'badge',
  'teams',
  'license',
  'monitor',
  'keyboard',
  'sso',
];

function prng(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

function articleText(i: number, random: (n: number) => number) {
  const pick = () => WORDS[random(WORDS.length)] as string;
  const topic = i % 10 === 0 ? 'VPN 连接每五分钟断开一次' : i % 10 === 1 ? 'Printer offline after driver update' : `${pick()} ${pick()} 问题 ${i}`;
  const body = [
    `## 现象`,
    `${topic}。${pick()} ${pick()} ${pick()}。`,
    '## 原因',
    `${pick()} ${pick()} 配置错误。`,
    '## 解决方法',
    `检查 ${pick()} 和 ${pick()}，然后重启。`,
  ].join('\n');
  return { title: topic, body };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Times `query` on both tenants, the two interleaved sample by sample (A B
 * A B), so a load change on the shared machine hits both alike; calls and
 * RCU per search are read around each tenant's searches separately.
 */
async function timeSearches(small: Actor, large: Actor, query: string, samples: number, sizes: [number, number]): Promise<[SearchFigure, SearchFigure]> {
  const actors = [small, large] as const;
  for (const actor of actors) await searchKnowledge(actor, { q: query, limit: 10 });
  const times: [number[], number[]] = [[], []];
  const readings: [CapacityReading[], CapacityReading[]] = [[], []];
  takeCapacityReading();
  for (let i = 0; i < samples; i++) {
    for (const which of [0, 1] as const) {
      const start = performance.now();
      await searchKnowledge(actors[which], { q: query, limit: 10 });
      times[which].push(performance.now() - start);
      readings[which].push(takeCapacityReading());
    }
  }
  return ([0, 1] as const).map((which) => {
    const sorted = [...times[which]].sort((a, b) => a - b);
    const total = readings[which].reduce(
      (sum, reading) => ({
        calls: sum.calls + reading.calls,
        operations: Object.fromEntries(
          [...new Set([...Object.keys(sum.operations), ...Object.keys(reading.operations)])].map((name) => [
            name,
            (sum.operations[name] ?? 0) + (reading.operations[name] ?? 0),
          ]),
        ),
        readCapacityUnits: sum.readCapacityUnits + reading.readCapacityUnits,
        writeCapacityUnits: sum.writeCapacityUnits + reading.writeCapacityUnits,
        indexWriteCapacityUnits: sum.indexWriteCapacityUnits + reading.indexWriteCapacityUnits,
      }),
      { calls: 0, operations: {}, readCapacityUnits: 0, writeCapacityUnits: 0, indexWriteCapacityUnits: 0 } as CapacityReading,
    );
    return {
      ...total,
      articles: sizes[which],
      query,
      samples,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      callsPerSearch: total.calls / samples,
      rcuPerSearch: total.readCapacityUnits / samples,
    };
  }) as [SearchFigure, SearchFigure];
}

/** Drafts, reviews and publishes `count` articles through the domain and repository, then indexes each as the bus consumer would. */
async function publishArticles(tenantId: string, count: number, index: boolean): Promise<void> {
  const random = prng(7);
  const author: Actor = { tenantId, userId: 'bench-author', roles: ['agent'] };
  const reviewer: Actor = { tenantId, userId: 'bench-reviewer', roles: ['manager'] };
  const now = new Date().toISOString();
  const ids: string[] = [];
  for (let start = 0; start < count; start += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, count - start) }, async (_, j) => {
        const i = start + j;
        const text = articleText(i, random);
        const draft = createArticle(
          { ...text, category: i % 2 ? 'network' : 'desktop', tags: ['bench'], audience: ['requesters', 'agents'], language: 'zh-CN', links: [] },
          { tenantId, id: ulid(), number: `KB${String(1_000_000 + i)}` },
          { actor: author, now },
        );
        const submitted = applyArticleCommand(draft.article, { action: 'submit' }, { actor: author, now });
        const published = applyArticleCommand(submitted.article, { action: 'publish', reviewMonths: 12 }, { actor: reviewer, now });
        await insertArticle({ ...published, action: 'create', eventType: 'ArticleCreated' }, author);
        ids.push(draft.article.id);
      }),
    );
  }
  if (!index) return;
  for (let start = 0; start < ids.length; start += 8) await Promise.all(ids.slice(start, start + 8).map((id) => indexArticle(tenantId, id)));
}

/**
 * The read side of a large tenant: every query term's postings for `count`
 * documents (impacts spread so the order is meaningful), the heads of the
 * best documents, and the document count.
 */
async function loadLargeIndex(tenantId: string, count: number): Promise<void> {
  const terms = [...new Set(QUERIES.flatMap((query) => queryTerms(query, 8)))];
  const requests = [];
  for (let i = 0; i < count; i++) {
    const docKey = `A.${String(i).padStart(26, '0')}`;
    const impact = 2.2 - (i / count) * 2;
    for (const term of terms) {
      for (const scope of ['all', 'req'] as const) {
        requests.push({
          put: {
            PK: postingPartition(tenantId, scope, term),
            SK: impactSortKey(impact, docKey),
            entity: 'SearchPosting',
            doc: docKey,
            imp: impact,
            cat: 'network',
          },
        });
      }
    }
    if (i < POSTINGS_PER_TERM) {
      requests.push({
        put: {
          ...documentHeadKey(tenantId, docKey),
          entity: 'SearchDocument',
          docKey,
          kind: 'article',
          id: String(i).padStart(26, '0'),
          number: `KB${1_000_000 + i}`,
          title: 'VPN 连接每五分钟断开一次 / printer offline',
          text: 'VPN 连接每五分钟断开一次。Printer offline after driver update.',
          category: 'network',
          scopes: ['all', 'req'],
          updatedAt: new Date().toISOString(),
        },
      });
    }
    if (requests.length >= 5_000) await batchWriteItems(requests.splice(0));
  }
  await batchWriteItems(requests);
  await adjustTotals(tenantId, { docsAll: count, docsReq: count });
}

export async function measureKnowledge(stack: LocalStack, quick: boolean): Promise<KnowledgeFigures> {
  const small = quick ? 200 : 1_000;
  const large = quick ? 10_000 : 100_000;
  const samples = quick ? 30 : 100;
  const run = ulid().slice(-6).toLowerCase();
  const smallTenant = `bench-kb-s-${run}`;
  const largeTenant = `bench-kb-l-${run}`;
  const agent = (tenantId: string): Actor => ({ tenantId, userId: 'bench-agent', roles: ['agent'] });

  await publishArticles(smallTenant, small, true);
  await loadLargeIndex(largeTenant, large);
  await stack.drainEvents();
  takeCapacityReading();

  const search: SearchFigure[] = [];
  for (const query of QUERIES) search.push(...(await timeSearches(agent(smallTenant), agent(largeTenant), query, samples, [small, large])));
  const ratios = QUERIES.map((query) => {
    const [a, b] = search.filter((figure) => figure.query === query);
    return { query, ratio: (b?.p50Ms ?? 0) / Math.max(0.001, a?.p50Ms ?? 1) };
  });

  // Publishing one article: the publish write (record, revision copy, audit, outbox) ...
  const costs: CostFigure[] = [];
  const author: Actor = { tenantId: smallTenant, userId: 'bench-author', roles: ['agent'] };
  const reviewer: Actor = { tenantId: smallTenant, userId: 'bench-reviewer', roles: ['manager'] };
  const now = new Date().toISOString();
  const text = articleText(10, prng(3));
  const content = { ...text, category: 'network', tags: ['vpn'], audience: ['requesters' as const, 'agents' as const], language: 'zh-CN', links: [] };
  const draft = createArticle(content, { tenantId: smallTenant, id: ulid(), number: 'KB9999999' }, { actor: author, now });
  await insertArticle(draft, author);
  const submitted = applyArticleCommand(draft.article, { action: 'submit' }, { actor: author, now });
  await saveArticle(submitted, draft.article, author, false);
  await stack.drainEvents();
  takeCapacityReading();
  const published = applyArticleCommand(submitted.article, { action: 'publish', reviewMonths: 12 }, { actor: reviewer, now });
  await saveArticle(published, submitted.article, reviewer, false);
  costs.push({ what: 'publish request (record + revision copy + audit + outbox)', ...takeCapacityReading() });
  await stack.drainEvents();
  await new Promise((resolve) => setTimeout(resolve, 500));
  // ... and indexing it, measured on a twin written without an ArticlePublished event (so the bus consumer has not indexed it first).
  const twin = createArticle(content, { tenantId: smallTenant, id: ulid(), number: 'KB9999998' }, { actor: author, now });
  const twinPublished = applyArticleCommand(
    applyArticleCommand(twin.article, { action: 'submit' }, { actor: author, now }).article,
    { action: 'publish', reviewMonths: 12 },
    { actor: reviewer, now },
  );
  await insertArticle({ ...twinPublished, action: 'create', eventType: 'ArticleCreated' }, author);
  await stack.drainEvents();
  takeCapacityReading();
  const write = await indexArticle(smallTenant, twin.article.id);
  costs.push({ what: `indexing a published article (${write.written} postings written: ${write.written / 2} terms × 2 scopes)`, ...takeCapacityReading() });

  // Suggestions on incident create, and trend detection per incident, with a CI that runs on a host.
  const token = stack.tokenFor({ tenantId: smallTenant, userId: 'bench-agent', roles: ['agent'], name: 'Bench', email: 'bench@example.com' });
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { id: string };
  };
  const host = await call('/cis', { class: 'server', name: 'bench-host' });
  const vm = await call('/cis', { class: 'virtual_machine', name: 'bench-vm' });
  await call(`/cis/${vm.id}/relationships`, { type: 'runs_on', targetId: host.id });
  const incident = await call('/incidents', {
    title: 'VPN 断开',
    description: 'VPN 连接每五分钟断开一次',
    category: 'network',
    type: 'network',
    impact: 2,
    urgency: 2,
    ciId: vm.id,
  });
  await stack.drainEvents();
  await new Promise((resolve) => setTimeout(resolve, 500));
  takeCapacityReading();
  await suggestFor(agent(smallTenant), { title: 'VPN 断开', description: 'VPN 连接每五分钟断开一次', ciId: vm.id });
  costs.push({ what: 'suggestions on incident create (CI with one dependency)', ...takeCapacityReading() });
  await detectTrend(smallTenant, incident.id);
  costs.push({ what: 'trend detection per incident created (CI with one dependency)', ...takeCapacityReading() });
  return { search, ratios, costs };
}
