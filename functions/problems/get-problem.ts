/** `GET /problems/{id}`: by id or number. @module */
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { findProblem, problemResult } from '#shared/services/problems/problem-access.js';

export const handler = httpHandler(routes.getProblem, async ({ actor, params }) => problemResult(await findProblem(actor, params.id)));
