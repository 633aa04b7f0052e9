/**
 * Routes of problem management. Today a problem record is the one a failed
 * continuity test opens (its action plan), so the schemas are the
 * continuity action records'; the problem practice's own model replaces
 * them.
 * @module
 */

import { ActionRecordListQuery, ActionRecordPage, ActionRecordParams, ProblemResource } from '#shared/http/continuity/schemas.js';
import { defineRoute, READ_PROBLEMS } from '#shared/http/route.js';

/** Problem records are for the service desk, not for requesters. */
const STAFF = ['agent'] as const;

export const problemRoutes = {
  listProblems: defineRoute({
    operationId: 'listProblems',
    method: 'GET',
    path: '/problems',
    summary: 'Problem records, oldest first',
    tag: 'Problems',
    roles: STAFF,
    query: ActionRecordListQuery,
    response: { status: 200, description: 'A page of problem records', schema: ActionRecordPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/list-problems',
  }),
  getProblem: defineRoute({
    operationId: 'getProblem',
    method: 'GET',
    path: '/problems/{id}',
    summary: 'Read a problem record',
    tag: 'Problems',
    roles: STAFF,
    params: ActionRecordParams,
    response: { status: 200, description: 'The problem record', schema: ProblemResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/get-problem',
  }),
} as const;
