/** `GET /knowledge/search`: ranked hits over published articles and known errors. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { knowledgeRoutes as routes } from '#shared/http/knowledge/routes.js';
import { searchKnowledge } from '#shared/services/knowledge/search.js';

export const handler = httpHandler(routes.searchKnowledge, async ({ actor, query }) => ({ statusCode: 200, body: await searchKnowledge(actor, query) }));
