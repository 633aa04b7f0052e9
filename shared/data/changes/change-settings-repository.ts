/**
 * A tenant's change settings, each a versioned setting of its own (see
 * settings-repository): approval policies and delegations, the change
 * calendar (freezes, maintenance windows), and the change model (risk
 * questionnaire, standard templates). Separate items, so a calendar edit
 * never races an approval-policy edit.
 * @module
 */

import type { SettingKind } from '#shared/data/settings-repository.js';
import { type ApprovalSettings, approvalSettingsSchema, defaultApprovalSettings } from '#shared/domain/changes/change-approval.js';
import { type ChangeCalendarSettings, changeCalendarSettingsSchema, defaultChangeCalendarSettings } from '#shared/domain/changes/change-calendar.js';
import { type ChangeModel, changeModelSchema, defaultChangeModel } from '#shared/domain/changes/change-model.js';
import { changeSettingKey } from './keys.js';

export const CHANGE_APPROVAL_SETTING: SettingKind<ApprovalSettings> = {
  name: 'changeApproval',
  key: (tenantId) => changeSettingKey(tenantId, 'CHANGE_APPROVAL'),
  eventType: 'ChangeApprovalSettingsUpdated',
  complete: (stored) => (stored ? approvalSettingsSchema.parse(stored) : defaultApprovalSettings()),
};

export const CHANGE_CALENDAR_SETTING: SettingKind<ChangeCalendarSettings> = {
  name: 'changeCalendar',
  key: (tenantId) => changeSettingKey(tenantId, 'CHANGE_CALENDAR'),
  eventType: 'ChangeCalendarUpdated',
  complete: (stored) => (stored ? changeCalendarSettingsSchema.parse(stored) : defaultChangeCalendarSettings()),
};

export const CHANGE_MODEL_SETTING: SettingKind<ChangeModel> = {
  name: 'changeModel',
  key: (tenantId) => changeSettingKey(tenantId, 'CHANGE_MODEL'),
  eventType: 'ChangeSettingsUpdated',
  complete: (stored) => (stored ? changeModelSchema.parse(stored) : defaultChangeModel()),
};
