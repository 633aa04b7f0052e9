/** `GET /settings/change-approval`. @module */
import { CHANGE_APPROVAL_SETTING } from '../../shared/data/change-settings-repository.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { changeRoutes as routes } from './change-routes.js';
import { readSetting } from './change-settings-access.js';

export const handler = httpHandler(routes.getChangeApprovalSettings, async ({ actor }) => readSetting(CHANGE_APPROVAL_SETTING, actor));
