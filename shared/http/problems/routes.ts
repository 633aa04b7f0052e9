/**
 * Routes of problem management: raise, list and read problems, walk them
 * through their life cycle (one route per action), link incidents, and
 * the tenant's problem settings. Handlers import their practice's routes
 * only, so a function loads the schemas it serves and no others.
 * @module
 */
import type * as z from 'zod';
import { ProblemSettings } from '#shared/domain/problems/problem-settings.js';
import { HistoryPage } from '#shared/http/common-schemas.js';
import { ANY_ROLE, defineRoute, READ_PROBLEMS, WRITE_PROBLEMS } from '#shared/http/route.js';
import {
  AssessBody,
  CloseProblemBody,
  CreateProblemBody,
  EmptyBody,
  HistoryQuery,
  IncidentIdOnlyParams,
  KnownErrorBody,
  LinkIncidentsBody,
  ListProblemsQuery,
  ProblemIdParams,
  ProblemLinkPage,
  ProblemPage,
  ProblemResource,
  ProblemSettingsResource,
  ReasonBody,
  ResolveProblemBody,
  RootCauseBody,
} from './schemas.js';

/** Problem records are for the service desk, not for requesters. */
const STAFF = ['agent'] as const;

/** The life-cycle action routes: `POST /problems/{id}/<path>`, all served by `problems/problem-action`. */
function action(operation: string, path: string, summary: string, body: z.ZodType) {
  return defineRoute({
    operationId: operation,
    method: 'POST',
    path: `/problems/{id}/${path}`,
    summary,
    tag: 'Problems',
    roles: STAFF,
    params: ProblemIdParams,
    body,
    response: { status: 200, description: 'The problem after the action', schema: ProblemResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'problems/problem-action',
  });
}

export const problemActionRoutes = {
  acceptProblem: action('acceptProblem', 'accept', 'Accept a proposed problem', EmptyBody),
  dismissProblem: action('dismissProblem', 'dismiss', 'Dismiss a proposed problem (not proposed again for the cluster within the trend window)', ReasonBody),
  assessProblem: action('assessProblem', 'assess', 'Set the impact; priority follows from impact × frequency band', AssessBody),
  analyseProblem: action('analyseProblem', 'analyse', 'Start root-cause analysis', EmptyBody),
  recordRootCause: action('recordRootCause', 'root-cause', 'Record the root cause (method, findings, contributing CIs)', RootCauseBody),
  publishKnownError: action('publishKnownError', 'known-error', 'Publish the known error: symptoms, cause, workaround', KnownErrorBody),
  resolveProblem: action('resolveProblem', 'resolve', 'Resolve with a permanent fix through a linked change', ResolveProblemBody),
  closeProblem: action('closeProblem', 'close', 'Close once the fix is verified (no recurrence in the verification window)', CloseProblemBody),
  cancelProblem: action('cancelProblem', 'cancel', 'Cancel the problem', ReasonBody),
} as const;

export const problemRoutes = {
  createProblem: defineRoute({
    operationId: 'createProblem',
    method: 'POST',
    path: '/problems',
    summary: 'Raise a problem',
    description: 'From scratch or from incidents (`incidentIds`, linked both ways). Send `Idempotency-Key` to make retries safe.',
    tag: 'Problems',
    roles: STAFF,
    body: CreateProblemBody,
    response: { status: 201, description: 'The new problem', schema: ProblemResource },
    problems: WRITE_PROBLEMS,
    idempotent: true,
    access: 'write',
    handler: 'problems/create-problem',
  }),
  listProblems: defineRoute({
    operationId: 'listProblems',
    method: 'GET',
    path: '/problems',
    summary: 'Problems, oldest first; optionally one status (e.g. `proposed`)',
    tag: 'Problems',
    roles: STAFF,
    query: ListProblemsQuery,
    response: { status: 200, description: 'A page of problems', schema: ProblemPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/list-problems',
  }),
  getProblem: defineRoute({
    operationId: 'getProblem',
    method: 'GET',
    path: '/problems/{id}',
    summary: 'Read a problem',
    tag: 'Problems',
    roles: STAFF,
    params: ProblemIdParams,
    response: { status: 200, description: 'The problem', schema: ProblemResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/get-problem',
  }),
  getProblemHistory: defineRoute({
    operationId: 'getProblemHistory',
    method: 'GET',
    path: '/problems/{id}/history',
    summary: "A problem's audit trail, oldest first",
    tag: 'Problems',
    roles: STAFF,
    params: ProblemIdParams,
    query: HistoryQuery,
    response: { status: 200, description: 'A page of audit entries', schema: HistoryPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/get-problem-history',
  }),
  linkProblemIncidents: defineRoute({
    operationId: 'linkProblemIncidents',
    method: 'POST',
    path: '/problems/{id}/incidents',
    summary: 'Link incidents to the problem (both ways); after the fix they count as recurrence',
    tag: 'Problems',
    roles: STAFF,
    params: ProblemIdParams,
    body: LinkIncidentsBody,
    response: { status: 200, description: 'The problem', schema: ProblemResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'problems/link-incidents',
  }),
  listIncidentProblems: defineRoute({
    operationId: 'listIncidentProblems',
    method: 'GET',
    path: '/incidents/{id}/problems',
    summary: 'The problems an incident is linked to',
    tag: 'Problems',
    roles: ANY_ROLE,
    params: IncidentIdOnlyParams,
    query: HistoryQuery,
    response: { status: 200, description: 'A page of problem links', schema: ProblemLinkPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/list-incident-problems',
  }),
  getProblemSettings: defineRoute({
    operationId: 'getProblemSettings',
    method: 'GET',
    path: '/settings/problems',
    summary: 'Trend detection and fix verification settings',
    tag: 'Problems',
    roles: STAFF,
    response: { status: 200, description: 'The settings', schema: ProblemSettingsResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'problems/get-problem-settings',
  }),
  putProblemSettings: defineRoute({
    operationId: 'putProblemSettings',
    method: 'PUT',
    path: '/settings/problems',
    summary: 'Replace the problem settings (tenant admins, If-Match)',
    tag: 'Problems',
    roles: ['tenant-admin'],
    body: ProblemSettings,
    response: { status: 200, description: 'The settings', schema: ProblemSettingsResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'problems/put-problem-settings',
  }),
  ...problemActionRoutes,
} as const;
