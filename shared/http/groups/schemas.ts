/**
 * Schemas of the assignment groups API.
 * @module
 */
import * as z from 'zod';
import { GROUP_STATUSES, groupTiersSchema, MAX_GROUP_MEMBERS, tierSchema } from '#shared/domain/groups/group.js';
import { businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const GroupCodeParams = z.strictObject({ code: Identifier });

const GroupFieldsShape = {
  name: text(100),
  description: z.string().trim().max(2000).default(''),
  members: z.array(Identifier).max(MAX_GROUP_MEMBERS).default([]).meta({ description: 'User ids of the members' }),
  managerId: Identifier.nullable().default(null).meta({ description: 'User id of the manager: may edit the group and is notified by hierarchical escalation' }),
  tier: Identifier.meta({ description: "One of the tenant's tiers (GET /settings/group-tiers)", example: 'front-line' }),
  calendar: businessCalendarSchema.nullable().default(null).meta({ description: "The hours the group works; null: the SLA's calendar in force" }),
  escalatesTo: Identifier.nullable()
    .default(null)
    .meta({ description: "Functional escalation target: an active group of a higher tier; null: the next tier's default group" }),
};

export const CreateGroupBody = z
  .strictObject({
    code: Identifier.meta({ description: 'Stable code incidents store as their assignmentGroup', example: 'service-desk' }),
    ...GroupFieldsShape,
  })
  .meta({ id: 'CreateGroup' });

export const UpdateGroupBody = z
  .strictObject({
    name: GroupFieldsShape.name.optional(),
    description: z.string().trim().max(2000).optional(),
    members: z.array(Identifier).max(MAX_GROUP_MEMBERS).optional(),
    managerId: Identifier.nullable().optional(),
    tier: Identifier.optional(),
    calendar: businessCalendarSchema.nullable().optional(),
    escalatesTo: Identifier.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateGroup' });

export const ListGroupsQuery = z.strictObject({
  tier: Identifier.optional().meta({ description: 'Only groups of this tier' }),
  status: z.enum(GROUP_STATUSES).optional(),
  limit: PageLimit,
  cursor: PageCursor,
});

export const GroupResource = z
  .object({
    code: z.string(),
    name: z.string(),
    description: z.string(),
    members: z.array(z.string()),
    managerId: z.string().nullable(),
    tier: z.string(),
    calendar: z.record(z.string(), z.unknown()).nullable(),
    escalatesTo: z.string().nullable(),
    status: z.enum(GROUP_STATUSES),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Group' });

export const GroupPage = pageOf(GroupResource, 'GroupPage');

export const GroupTiersBody = groupTiersSchema.meta({ id: 'GroupTiers' });

export const GroupTiersResource = z
  .object({
    tiers: z.array(tierSchema),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'GroupTiersSetting' });
