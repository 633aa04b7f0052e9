/**
 * Knowledge search and problem trend detection at volume, on the local
 * stack's DynamoDB Local (in memory):
 *
 * - search p50 / p99, calls and RCU at 1 k and at a large knowledge base
 *   per tenant (`KB_BENCH_ARTICLES`, 100 k for the figure; 20 k by
 *   default, 5 k with `--quick`), two tenants in one table, Chinese and
 *   English queries, interleaved sample by sample. Both corpora come from
 *   the same generator (`knowledge-corpus.ts`: bilingual articles over a
 *   Zipf vocabulary) and are bulk-loaded: each article is published in the
 *   domain, turned into its index document by the indexer's own pure
 *   function (`articleDocument`) and into table items by the index's
 *   (`documentItems`), then written with BatchWriteItem, several in
 *   flight. A sample of articles also goes through the real indexer in a
 *   third tenant and its items are compared with the bulk-written ones:
 *   the run fails unless they are identical.
 * - write cost of publishing one article: the publish request, and the
 *   indexer run it triggers (over the sample).
 * - trend detection per incident created (`detectTrend`, as the bus
 *   consumer runs it) and suggestions on incident create (`suggestFor`).
 */
import { ulid } from 'ulid';
import { batchGetItems } from '#shared/data/batch-get.js';
import { type BatchWriteRequest, batchWriteItems } from '#shared/data/batch-write.js';
import { type CapacityReading, takeCapacityReading } from '#shared/data/capacity-meter.js';
import { insertArticle, saveArticle } from '#shared/data/knowledge/article-repository.js';
import { postingPartition } from '#shared/data/knowledge/keys.js';
import { adjustTotals, documentItems, getDocumentHead, termStatsItem } from '#shared/data/knowledge/search-index.js';
import { type Article, type ArticleChange, type ArticleContent, applyArticleCommand, createArticle } from '#shared/domain/knowledge/article.js';
import { type Posting, rank } from '#shared/domain/knowledge/ranking.js';
import { queryTerms } from '#shared/domain/knowledge/tokenise.js';
import type { Actor } from '#shared/domain/roles.js';
import { articleDocKey, articleDocument, indexArticle } from '#shared/services/knowledge/indexer.js';
import { MAX_QUERY_TERMS, searchKnowledge, suggestFor } from '#shared/services/knowledge/search.js';
import { detectTrend } from '#shared/services/problems/trend-detection.js';
import type { LocalStack } from '../../infra/local/local-stack.js';
import { CHINESE, corpusArticle, ENGLISH } from './knowledge-corpus.js';

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
  /** Large ÷ small, per query. */
  readonly ratios: { query: string; p50: number; p99: number }[];
  readonly costs: CostFigure[];
  readonly quality: QualityFigure[];
  readonly loads: LoadFigure[];
  readonly check: SampleCheck;
}

/** The corpus seed: both tenants' articles are its first N. */
const SEED = 15;

/**
 * Common terms in both languages, a mixed query, a long one, short ones,
 * and a rare term of each vocabulary (rank 300 of 20 000: in about 0.1 %
 * of the articles).
 */
const QUERIES = [
  'VPN 断开',
  '连接',
  '网络',
  '断开',
  '连接失败',
  'printer offline',
  'VPN disconnects every five minutes',
  ENGLISH[300] as string,
  CHINESE[300] as string,
] as const;

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

const author = (tenantId: string): Actor => ({ tenantId, userId: 'bench-author', roles: ['agent'] });
const reviewer = (tenantId: string): Actor => ({ tenantId, userId: 'bench-reviewer', roles: ['manager'] });

/** `content` drafted, submitted and published through the domain rules, as the API would (no I/O). */
function publishedInDomain(tenantId: string, identity: { id: string; number: string }, content: ArticleContent, now: string): ArticleChange {
  const draft = createArticle(content, { tenantId, ...identity }, { actor: author(tenantId), now });
  const submitted = applyArticleCommand(draft.article, { action: 'submit' }, { actor: author(tenantId), now });
  return applyArticleCommand(submitted.article, { action: 'publish', reviewMonths: 12 }, { actor: reviewer(tenantId), now });
}

export interface LoadFigure extends CapacityReading {
  readonly tenant: string;
  readonly articles: number;
  /** Postings the articles make (what publishing them would write), and those written here. */
  readonly postings: number;
  readonly postingsWritten: number;
  readonly seconds: number;
}

/** What the bench keeps of a tenant's corpus: its sampled articles, and every `all`-scope posting of the query terms (the exact ranking's input). */
interface Loaded {
  readonly figure: LoadFigure;
  readonly sampled: Article[];
  readonly postingsOf: ReadonlyMap<string, Posting[]>;
}

/**
 * Bulk-loads the first `count` articles of the corpus into `tenantId`'s
 * search index: the items the indexer would write for each (same pure
 * functions), BatchWriteItem of 25, eight in flight while the next
 * articles are generated, then each written term's document frequency
 * and the document counts. Every head is
 * written; postings all of them (`writesAll`), or else those of the
 * query terms `terms` and of the sampled articles (see
 * {@link measureKnowledge}).
 */
async function bulkLoad(
  tenant: string,
  tenantId: string,
  count: number,
  options: { now: string; sample: ReadonlySet<number>; terms: ReadonlySet<string>; writesAll: boolean },
): Promise<Loaded> {
  const started = performance.now();
  takeCapacityReading();
  const sampled: Article[] = [];
  const postingsOf = new Map<string, Posting[]>([...options.terms].map((term) => [term, []]));
  const totals = { docsAll: 0, docsReq: 0, articlesLive: 0, articlesComplete: 0 };
  let postings = 0;
  let postingsWritten = 0;
  let requests: BatchWriteRequest[] = [];
  const inFlight = new Set<Promise<number>>();
  // Puts are idempotent: a chunk DynamoDB Local timed out on (a loaded machine) is sent again, a few times.
  const writeWithRetries = async (chunk: BatchWriteRequest[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await batchWriteItems(chunk);
      } catch (error) {
        if (attempt >= 5 || (error as { kind?: string }).kind !== 'unavailable') throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  };
  const flush = async () => {
    const writing = writeWithRetries(requests);
    requests = [];
    inFlight.add(writing);
    const settled = () => inFlight.delete(writing);
    writing.then(settled, settled);
    // batchWriteItems keeps four calls in flight; two of them side by side keep DynamoDB Local busy while the next articles are tokenised.
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  const allPrefix = postingPartition(tenantId, 'all', 'x').slice(0, -1);
  const reqPrefix = postingPartition(tenantId, 'req', 'x').slice(0, -1);
  const termOf = (pk: string) => pk.slice(pk.startsWith(allPrefix) ? allPrefix.length : reqPrefix.length);
  // Document frequency per scope and term, written as each term's statistics item once every article is in.
  const frequencies = new Map<string, number>();
  const written = new Set<string>();
  for (let i = 0; i < count; i++) {
    const { article } = publishedInDomain(tenantId, { id: ulid(), number: `KB${String(1_000_000 + i)}` }, corpusArticle(SEED, i), options.now);
    if (options.sample.has(i)) sampled.push(article);
    const document = articleDocument(article);
    if (!document) throw new Error('a published article has an index document');
    const items = documentItems(tenantId, document);
    for (const item of items.postings) {
      const term = termOf(item.PK);
      frequencies.set(item.PK, (frequencies.get(item.PK) ?? 0) + 1);
      // Sampled articles are written whole: the comparison with the indexer covers every item.
      if (!options.writesAll && !options.terms.has(term) && !options.sample.has(i)) continue;
      requests.push({ put: item });
      written.add(item.PK);
      postingsWritten += 1;
    }
    for (const term of options.terms) {
      const impact = document.impacts.get(term);
      if (impact !== undefined) postingsOf.get(term)?.push({ doc: document.head.docKey, impact });
    }
    requests.push({ put: items.head });
    postings += items.postings.length;
    totals.docsAll += document.head.scopes.includes('all') ? 1 : 0;
    totals.docsReq += document.head.scopes.includes('req') ? 1 : 0;
    totals.articlesLive += 1;
    totals.articlesComplete += document.head.complete ? 1 : 0;
    if (requests.length >= 2_500) await flush();
  }
  for (const pk of written) {
    requests.push({ put: termStatsItem(tenantId, pk.startsWith(allPrefix) ? 'all' : 'req', termOf(pk), frequencies.get(pk) ?? 0) });
    if (requests.length >= 2_500) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  await adjustTotals(tenantId, totals);
  const figure = { tenant, articles: count, postings, postingsWritten, seconds: (performance.now() - started) / 1000, ...takeCapacityReading() };
  return { figure, sampled, postingsOf };
}

export interface QualityFigure {
  readonly articles: number;
  readonly query: string;
  /** Documents matching at least one query term. */
  readonly matching: number;
  /** Of the exact BM25 top 10 (every posting, exact df), how many the search returned. */
  readonly overlapAt10: number;
  /** Σ exact score of the search's top 10 ÷ Σ exact score of the exact top 10 (1 = as good, whatever the ties). */
  readonly scoreRatio: number;
}

/**
 * The search's answer against exhaustive BM25 over every posting of the
 * query terms (kept in memory during the load): is the bounded read still
 * finding the best documents at this size?
 */
async function rankingQuality(actor: Actor, loaded: Loaded, query: string): Promise<QualityFigure> {
  const terms = queryTerms(query, MAX_QUERY_TERMS);
  const lists = terms.map((term) => ({ postings: loaded.postingsOf.get(term) ?? [] }));
  const exactScores = new Map(rank(lists, loaded.figure.articles, Number.MAX_SAFE_INTEGER).map((hit) => [hit.doc, hit.score]));
  const exact = [...exactScores].slice(0, 10);
  const found = (await searchKnowledge(actor, { q: query, limit: 10 })).items.map((hit) => articleDocKey(hit.id));
  const best = exact.reduce((sum, [, score]) => sum + score, 0);
  const got = found.reduce((sum, doc) => sum + (exactScores.get(doc) ?? 0), 0);
  return {
    articles: loaded.figure.articles,
    query,
    matching: exactScores.size,
    overlapAt10: found.filter((doc) => exact.some(([top]) => top === doc)).length,
    scoreRatio: best === 0 ? 1 : got / best,
  };
}

/** An item with its tenant's prefix taken out of its keys, so two tenants' items compare. */
function withoutTenant(item: Record<string, unknown> | null, tenantId: string): string {
  const prefix = `TENANT#${tenantId}#`;
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(item ?? {})
        .map(([key, value]) => [key, typeof value === 'string' ? value.replace(prefix, '') : value] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  );
}

export interface SampleCheck extends CapacityReading {
  readonly articles: number;
  /** Heads and postings compared, all identical. */
  readonly itemsCompared: number;
}

/**
 * Publishes each sampled article again in `checkTenant` (record insert,
 * then the real indexer, whose cost is the indexing cost measured) and
 * compares every item the indexer wrote with what the bulk load wrote in
 * `loadedTenant`. Throws on the first difference.
 */
async function indexAndCompare(sampled: readonly Article[], loadedTenant: string, checkTenant: string, stack: LocalStack): Promise<SampleCheck> {
  for (const article of sampled) {
    const again = publishedInDomain(checkTenant, { id: article.id, number: article.number }, article.content, article.createdAt);
    await insertArticle({ ...again, action: 'create', eventType: 'ArticleCreated' }, author(checkTenant));
  }
  await stack.drainEvents();
  takeCapacityReading();
  for (const article of sampled) await indexArticle(checkTenant, article.id);
  const indexing = takeCapacityReading();
  let itemsCompared = 0;
  for (const article of sampled) {
    const docKey = articleDocKey(article.id);
    const [loaded, indexed] = await Promise.all([getDocumentHead(loadedTenant, docKey), getDocumentHead(checkTenant, docKey)]);
    if (!loaded || !indexed || withoutTenant({ ...loaded }, loadedTenant) !== withoutTenant({ ...indexed }, checkTenant)) {
      throw new Error(`The bulk-loaded head of ${article.number} differs from the indexer's`);
    }
    for (const scope of indexed.scopes) {
      const keysOf = (tenantId: string) => Object.entries(indexed.postings).map(([term, SK]) => ({ PK: postingPartition(tenantId, scope, term), SK }));
      const [bulk, real] = await Promise.all([batchGetItems(keysOf(loadedTenant)), batchGetItems(keysOf(checkTenant))]);
      const bulkSet = bulk.map((item) => withoutTenant(item, loadedTenant)).sort();
      const realSet = real.map((item) => withoutTenant(item, checkTenant)).sort();
      if (realSet.length !== Object.keys(indexed.postings).length || JSON.stringify(bulkSet) !== JSON.stringify(realSet)) {
        throw new Error(`The bulk-loaded postings of ${article.number} (${scope}) differ from the indexer's`);
      }
      itemsCompared += realSet.length;
    }
    itemsCompared += 1;
  }
  return { ...indexing, articles: sampled.length, itemsCompared };
}

const SAMPLE_ARTICLES = 20;
const evenSample = (count: number) => new Set(Array.from({ length: SAMPLE_ARTICLES }, (_, i) => Math.floor((i * count) / SAMPLE_ARTICLES) + (i % 7)));

export async function measureKnowledge(stack: LocalStack, quick: boolean): Promise<KnowledgeFigures> {
  const small = 1_000;
  const large = Number(process.env.KB_BENCH_ARTICLES ?? (quick ? 5_000 : 20_000));
  if (!Number.isSafeInteger(large) || large < small) throw new Error(`KB_BENCH_ARTICLES must be a whole number of at least ${small}`);
  const samples = quick ? 30 : 100;
  const run = ulid().slice(-6).toLowerCase();
  const smallTenant = `bench-kb-s-${run}`;
  const largeTenant = `bench-kb-l-${run}`;
  const agent = (tenantId: string): Actor => ({ tenantId, userId: 'bench-agent', roles: ['agent'] });
  const now = new Date().toISOString();

  // The small tenant gets its whole index. The large one gets every head and the query terms' complete posting lists,
  // exactly as publishing would write them: all a measured search can read. The other terms' postings (counted, not
  // written unless KB_BENCH_FULL_INDEX=1) are other partitions; DynamoDB Local here writes ~600 items/s, so the full
  // 100 k index (~5 M postings) would take hours.
  const terms = new Set(QUERIES.flatMap((query) => queryTerms(query, MAX_QUERY_TERMS)));
  const smallLoad = await bulkLoad('small', smallTenant, small, { now, sample: new Set(), terms, writesAll: true });
  const largeLoad = await bulkLoad('large', largeTenant, large, { now, sample: evenSample(large), terms, writesAll: process.env.KB_BENCH_FULL_INDEX === '1' });
  const loads = [smallLoad.figure, largeLoad.figure];
  const check = await indexAndCompare(largeLoad.sampled, largeTenant, `bench-kb-c-${run}`, stack);
  await stack.drainEvents();
  takeCapacityReading();

  const quality: QualityFigure[] = [];
  for (const query of QUERIES) {
    quality.push(await rankingQuality(agent(smallTenant), smallLoad, query), await rankingQuality(agent(largeTenant), largeLoad, query));
  }
  const search: SearchFigure[] = [];
  for (const query of QUERIES) search.push(...(await timeSearches(agent(smallTenant), agent(largeTenant), query, samples, [small, large])));
  const ratios = QUERIES.map((query) => {
    const [a, b] = search.filter((figure) => figure.query === query);
    return { query, p50: (b?.p50Ms ?? 0) / Math.max(0.001, a?.p50Ms ?? 1), p99: (b?.p99Ms ?? 0) / Math.max(0.001, a?.p99Ms ?? 1) };
  });

  // Publishing one article: the publish write (record, revision copy, audit, outbox) through the repository the handler calls.
  const costs: CostFigure[] = [];
  const content = corpusArticle(SEED, 10);
  const draft = createArticle(content, { tenantId: smallTenant, id: ulid(), number: 'KB9999999' }, { actor: author(smallTenant), now });
  await insertArticle(draft, author(smallTenant));
  const submitted = applyArticleCommand(draft.article, { action: 'submit' }, { actor: author(smallTenant), now });
  await saveArticle(submitted, draft.article, author(smallTenant), false);
  await stack.drainEvents();
  takeCapacityReading();
  const published = applyArticleCommand(submitted.article, { action: 'publish', reviewMonths: 12 }, { actor: reviewer(smallTenant), now });
  await saveArticle(published, submitted.article, reviewer(smallTenant), false);
  costs.push({ what: 'publish request (record + revision copy + audit + outbox)', ...takeCapacityReading() });
  await stack.drainEvents();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perArticle = (value: number) => value / check.articles;
  costs.push({
    what: `indexing a published article (the indexer, mean of ${check.articles} corpus articles: ${fixed1(perArticle(check.itemsCompared - check.articles))} postings, ${fixed1(largeLoad.figure.postings / large)} on average over the corpus)`,
    calls: perArticle(check.calls),
    operations: Object.fromEntries(Object.entries(check.operations).map(([name, n]) => [name, perArticle(n)])),
    readCapacityUnits: perArticle(check.readCapacityUnits),
    writeCapacityUnits: perArticle(check.writeCapacityUnits),
    indexWriteCapacityUnits: perArticle(check.indexWriteCapacityUnits),
  });

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
  return { search, ratios, quality, costs, loads, check };
}

const fixed1 = (value: number) => value.toFixed(1);
