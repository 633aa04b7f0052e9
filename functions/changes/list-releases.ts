/** `GET /releases`: by planned start. @module */
import { listReleases } from '#shared/data/changes/release-repository.js';
import { releaseResource } from '#shared/http/changes/release-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.listReleases, async ({ actor, query }) => {
  const page = await listReleases(actor.tenantId, { limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: { items: page.items.map(releaseResource), nextCursor: page.nextCursor } };
});
