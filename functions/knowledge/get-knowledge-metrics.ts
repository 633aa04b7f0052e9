/** `GET /knowledge/metrics`: per month and over the range, from counters (two reads). @module */
import { now } from '#shared/clock.js';
import { getPeriods } from '#shared/data/knowledge/metrics-repository.js';
import { getKnowledgeTotals } from '#shared/data/knowledge/search-index.js';
import { knowledgeMetrics, monthsBetween } from '#shared/domain/knowledge/metrics.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';

export const handler = httpHandler(routes.getKnowledgeMetrics, async ({ actor, query }) => {
  const months = monthsBetween(query.from, query.to ?? now().toISOString().slice(0, 7));
  const [periods, totals] = await Promise.all([getPeriods(actor.tenantId, months), getKnowledgeTotals(actor.tenantId)]);
  return { statusCode: 200, body: knowledgeMetrics(months, periods, totals) };
});
