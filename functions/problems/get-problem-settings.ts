/** `GET /settings/problems`. @module */
import { getProblemSettings } from '#shared/data/problems/problem-repository.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemRoutes as routes } from '#shared/http/problems/routes.js';
import { settingResult } from '#shared/http/setting-result.js';

export const handler = httpHandler(routes.getProblemSettings, async ({ actor }) => settingResult(await getProblemSettings(actor.tenantId)));
