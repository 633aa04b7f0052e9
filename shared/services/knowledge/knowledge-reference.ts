/**
 * Checks the knowledge an incident is resolved with: a published, live
 * article the resolver may read, or a problem with a known error. A
 * reference to anything else is a 422 naming the field.
 * @module
 */
import { getArticle, getArticleByNumber } from '#shared/data/knowledge/article-repository.js';
import { getProblem, getProblemByNumber } from '#shared/data/problems/problem-repository.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import type { KnowledgeReference } from '#shared/domain/incidents/incident.js';
import { canRead } from '#shared/domain/knowledge/article.js';
import type { Actor } from '#shared/domain/roles.js';

export async function resolveKnowledgeReference(
  actor: Pick<Actor, 'tenantId' | 'roles'>,
  ref: { kind: 'article' | 'known_error'; id: string },
): Promise<KnowledgeReference> {
  if (ref.kind === 'article') {
    const article = ref.id.startsWith('KB') ? await getArticleByNumber(actor.tenantId, ref.id) : await getArticle(actor.tenantId, ref.id);
    if (!article?.published || article.status === 'retired' || !canRead(actor, article)) {
      throw new UnprocessableError(`Article ${ref.id} is not a published article.`, { field: 'knowledge.id' });
    }
    return { kind: 'article', id: article.id, number: article.number };
  }
  const problem = ref.id.startsWith('PRB') ? await getProblemByNumber(actor.tenantId, ref.id) : await getProblem(actor.tenantId, ref.id);
  if (!problem?.knownError) throw new UnprocessableError(`Problem ${ref.id} has no known error.`, { field: 'knowledge.id' });
  return { kind: 'known_error', id: problem.id, number: problem.number };
}
