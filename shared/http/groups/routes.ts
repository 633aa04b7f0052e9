/**
 * Routes of assignment groups and the tenant's tiers. Handlers import
 * their practice's routes only, so a function loads the schemas it serves
 * and no others.
 * @module
 */
import { defineRoute, READ_PROBLEMS, WRITE_PROBLEMS } from '#shared/http/route.js';
import { CreateGroupBody, GroupCodeParams, GroupPage, GroupResource, GroupTiersBody, GroupTiersResource, ListGroupsQuery, UpdateGroupBody } from './schemas.js';

export const groupRoutes = {
  createGroup: defineRoute({
    operationId: 'createGroup',
    method: 'POST',
    path: '/groups',
    summary: 'Form an assignment group',
    description:
      "Tenant admins only. The code is what incidents, alert policies and escalation levels name as their assignment group; it never changes. The tier must be one of the tenant's tiers; `escalatesTo` an active group of a higher tier. Counted against the tenant's groups quota (422 with `quota` past it).",
    tag: 'Groups',
    roles: ['tenant-admin'],
    body: CreateGroupBody,
    response: { status: 201, description: 'The group; its version is the ETag', schema: GroupResource },
    problems: WRITE_PROBLEMS,
    idempotent: true,
    access: 'write',
    handler: 'groups/create-group',
  }),
  listGroups: defineRoute({
    operationId: 'listGroups',
    method: 'GET',
    path: '/groups',
    summary: "The tenant's assignment groups",
    description: 'By code; optionally one tier or one status.',
    tag: 'Groups',
    roles: ['agent'],
    query: ListGroupsQuery,
    response: { status: 200, description: 'A page of groups', schema: GroupPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'groups/list-groups',
  }),
  getGroup: defineRoute({
    operationId: 'getGroup',
    method: 'GET',
    path: '/groups/{code}',
    summary: 'Read an assignment group',
    tag: 'Groups',
    roles: ['agent'],
    params: GroupCodeParams,
    response: { status: 200, description: 'The group; its version is the ETag', schema: GroupResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'groups/get-group',
  }),
  updateGroup: defineRoute({
    operationId: 'updateGroup',
    method: 'PATCH',
    path: '/groups/{code}',
    summary: 'Change a group: name, members, manager, tier, calendar, escalation target',
    description: "Tenant admins, or the group's own manager (others: 403). A retired group cannot change (409).",
    tag: 'Groups',
    // Every route on a group admits the same roles (404 before 403); who may change it is the group's rule.
    roles: ['agent'],
    params: GroupCodeParams,
    body: UpdateGroupBody,
    response: { status: 200, description: 'The group after the change', schema: GroupResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'groups/update-group',
  }),
  retireGroup: defineRoute({
    operationId: 'retireGroup',
    method: 'POST',
    path: '/groups/{code}/retire',
    summary: 'Retire a group',
    description:
      'Tenant admins only. A retired group takes no dispatch (422 naming it) and is no escalation target; its record and history stay, and its quota unit is given back. A tier still naming it as its default group refuses (409).',
    tag: 'Groups',
    // Every route on a group admits the same roles (404 before 403); only tenant admins retire.
    roles: ['agent'],
    params: GroupCodeParams,
    response: { status: 200, description: 'The retired group', schema: GroupResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'groups/retire-group',
  }),
  getGroupTiers: defineRoute({
    operationId: 'getGroupTiers',
    method: 'GET',
    path: '/settings/group-tiers',
    summary: "The tenant's support tiers",
    description:
      'Ordered from the front line up (seed: front line → regional centre → headquarters), each with the default group functional escalation into it reaches.',
    tag: 'Settings',
    roles: ['agent'],
    response: { status: 200, description: 'The tiers in force', schema: GroupTiersResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'groups/get-group-tiers',
  }),
  putGroupTiers: defineRoute({
    operationId: 'putGroupTiers',
    method: 'PUT',
    path: '/settings/group-tiers',
    summary: "Replace the tenant's support tiers",
    description:
      'Tenant admins only. Order matters: functional escalation climbs it. A default group must be an active group of its tier (422); a tier some active group belongs to cannot be dropped (409).',
    tag: 'Settings',
    roles: ['tenant-admin'],
    body: GroupTiersBody,
    response: { status: 200, description: 'The tiers now in force', schema: GroupTiersResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'groups/put-group-tiers',
  }),
} as const;
