/**
 * `GET /cis/export`: JSON lines in the import format, a page at a time
 * (one Query, plus one BatchGetItem per 100 CIs for their full records).
 * @module
 */
import { exportRelationships, getCis, listCis } from '#shared/data/cmdb/ci-repository.js';
import { CI_DESCRIPTIVE_FIELDS, type Ci } from '#shared/domain/cmdb/ci.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

/** The fields an import line carries, in this order. */
const LINE_FIELDS = ['id', ...CI_DESCRIPTIVE_FIELDS, 'attributes', 'custom'] as const;

/** A CI as an import line. Retired CIs go without status (an import cannot retire nor revive a CI), CIs without an external id without one. */
function ciLine(ci: Ci): Record<string, unknown> {
  const fields = LINE_FIELDS.filter((field) => !(field === 'status' && ci.status === 'retired') && !(field === 'externalId' && ci.externalId === null));
  return { kind: 'ci', ...Object.fromEntries(fields.map((field) => [field, ci[field]])) };
}

export const handler = httpHandler(routes.exportCis, async ({ actor, query }) => {
  let lines: Record<string, unknown>[];
  let nextCursor: string | null;
  if (query.kind === 'cis') {
    const page = await listCis(actor.tenantId, { limit: query.limit, cursor: query.cursor });
    const records = await getCis(
      actor.tenantId,
      page.items.map((item) => item.id),
    );
    lines = page.items.flatMap((item) => {
      const ci = records.get(item.id);
      return ci ? [ciLine(ci)] : [];
    });
    nextCursor = page.nextCursor;
  } else {
    const page = await exportRelationships(actor.tenantId, query.limit, query.cursor);
    lines = page.items.map((r) => ({ kind: 'relationship', from: { id: r.dependentId }, type: r.type, to: { id: r.dependencyId } }));
    nextCursor = page.nextCursor;
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/x-ndjson', ...(nextCursor ? { 'next-cursor': nextCursor } : {}) },
    text: lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
  };
});
