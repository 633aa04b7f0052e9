/**
 * Target of the bus rule `IndexKnowledge`: article and known-error events
 * re-index the document they concern (search finds a published revision,
 * and no longer finds a retired article or a known error that is fixed,
 * closed or cancelled), and article events move the monthly counters
 * (first publications, republications, retirements) once per event.
 * Throws on failure so EventBridge retries and then dead-letters it.
 * @module
 */
import * as z from 'zod';
import { countEventOnce } from '#shared/data/knowledge/metrics-repository.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';
import { indexArticle, indexKnownError } from '#shared/services/knowledge/indexer.js';

const KnowledgeEvent = z.object({
  'detail-type': z.string(),
  detail: z.object({
    eventId: z.string().min(1),
    tenantId: z.string().min(1),
    occurredAt: z.string(),
    articleId: z.string().min(1).optional(),
    problemId: z.string().min(1).optional(),
    facts: z.record(z.string(), z.unknown()).default({}),
  }),
});

async function handle(event: unknown): Promise<{ written: number; deleted: number; calls: number }> {
  const { 'detail-type': type, detail } = KnowledgeEvent.parse(event);
  if (detail.problemId) {
    const write = await indexKnownError(detail.tenantId, detail.problemId);
    return { written: write.written, deleted: write.deleted, calls: write.calls };
  }
  if (!detail.articleId) return { written: 0, deleted: 0, calls: 0 };
  const write = await indexArticle(detail.tenantId, detail.articleId);
  if (type === 'ArticlePublished') {
    await countEventOnce(detail.tenantId, detail.eventId, detail.occurredAt, detail.facts.firstPublication === true ? { published: 1 } : { republished: 1 });
  } else if (type === 'ArticleRetired' && detail.facts.wasPublished === true) {
    await countEventOnce(detail.tenantId, detail.eventId, detail.occurredAt, { retired: 1 });
  }
  return { written: write.written, deleted: write.deleted, calls: write.calls };
}

export const handler = backgroundHandler('knowledge/index-knowledge', handle);
