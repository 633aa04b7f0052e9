/** `GET /settings/change-approval`. @module */
import { CHANGE_APPROVAL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import { readSetting } from '#shared/http/changes/change-settings-access.js';
import { changeRoutes as routes } from '#shared/http/changes/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

export const handler = httpHandler(routes.getChangeApprovalSettings, async ({ actor }) => readSetting(CHANGE_APPROVAL_SETTING, actor));
