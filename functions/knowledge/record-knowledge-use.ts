/**
 * Target of the bus rule `RecordKnowledgeUse`: every resolved incident
 * counts towards the month's resolved tickets, and one resolved with an
 * article or a known error (`facts.knowledge`) towards utilisation and the
 * article's uses. Once per event (a redelivery counts nothing).
 * @module
 */
import * as z from 'zod';
import { countEventOnce } from '#shared/data/knowledge/metrics-repository.js';
import { backgroundHandler } from '#shared/observability/background-handler.js';

const IncidentResolvedEvent = z.object({
  detail: z.object({
    eventId: z.string().min(1),
    tenantId: z.string().min(1),
    occurredAt: z.string(),
    facts: z
      .object({
        knowledge: z
          .object({ kind: z.enum(['article', 'known_error']), id: z.string().min(1) })
          .nullable()
          .optional(),
      })
      .loose()
      .default({}),
  }),
});

async function handle(event: unknown): Promise<{ counted: boolean }> {
  const { detail } = IncidentResolvedEvent.parse(event);
  const knowledge = detail.facts.knowledge ?? null;
  const counted = await countEventOnce(
    detail.tenantId,
    detail.eventId,
    detail.occurredAt,
    {
      resolved: 1,
      resolvedWithKnowledge: knowledge ? 1 : 0,
      resolvedWithArticle: knowledge?.kind === 'article' ? 1 : 0,
      resolvedWithKnownError: knowledge?.kind === 'known_error' ? 1 : 0,
    },
    knowledge?.kind === 'article' ? { id: knowledge.id, adds: { uses: 1 } } : undefined,
  );
  return { counted };
}

export const handler = backgroundHandler('knowledge/record-knowledge-use', handle);
