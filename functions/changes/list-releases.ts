/** `GET /releases`: by planned start. @module */
import { listReleases } from '../../shared/data/release-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { releaseResource } from './release-access.js';

export const handler = httpHandler(routes.listReleases, async ({ actor, query }) => {
  const page = await listReleases(actor.tenantId, { limit: query.limit, cursor: query.cursor });
  return { statusCode: 200, body: { items: page.items.map(releaseResource), nextCursor: page.nextCursor } };
});
