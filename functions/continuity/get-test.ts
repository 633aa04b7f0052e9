/** `GET /continuity-tests/{id}`: the test, its step results and its action plan. @module */

import { findTest, testResource } from '#shared/http/continuity/continuity-access.js';
import { continuityRoutes as routes } from '#shared/http/continuity/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getContinuityTest, async ({ actor, params }) => {
  const test = await findTest(actor, params.id);
  return { statusCode: 200, body: testResource(test), version: test.version };
});
