/**
 * `POST /problems/{id}/<action>`: every life-cycle action route. The routes
 * differ only in their body and the command it builds, so one module
 * serves them all, dispatching on the route's resource template.
 * @module
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { now } from '#shared/clock.js';
import { getChange } from '#shared/data/changes/change-repository.js';
import { getProblemSettings } from '#shared/data/problems/problem-repository.js';
import { NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import { applyProblemCommand, type ProblemCommand } from '#shared/domain/problems/problem.js';
import type { Actor } from '#shared/domain/roles.js';
import { httpHandler } from '#shared/http/http-handler.js';
import { problemActionRoutes as routes } from '#shared/http/problems/routes.js';
import { changeProblem, problemResult } from '#shared/services/problems/problem-access.js';

type Body = Record<string, unknown> | undefined;

/** Builds the command of each route from its (validated) body; `resolve` also checks the change exists. */
const COMMANDS: { [K in keyof typeof routes]: (body: Body, actor: Actor) => Promise<ProblemCommand> } = {
  acceptProblem: async () => ({ action: 'accept' }),
  dismissProblem: async (body) => ({ action: 'dismiss', reason: body?.reason as string }),
  assessProblem: async (body) => ({ action: 'assess', impact: body?.impact as 1 | 2 | 3 | 4 }),
  analyseProblem: async () => ({ action: 'analyse' }),
  recordRootCause: async (body) => ({ action: 'record-root-cause', ...(body as Omit<Extract<ProblemCommand, { action: 'record-root-cause' }>, 'action'>) }),
  publishKnownError: async (body) => ({
    action: 'publish-known-error',
    ...(body as Omit<Extract<ProblemCommand, { action: 'publish-known-error' }>, 'action'>),
  }),
  resolveProblem: async (body, actor) => {
    const changeId = body?.changeId as string;
    const [change, settings] = await Promise.all([getChange(actor.tenantId, changeId), getProblemSettings(actor.tenantId)]);
    if (!change) throw new UnprocessableError(`Change ${changeId} does not exist.`, { field: 'changeId' });
    return { action: 'resolve', changeId, notes: body?.notes as string, verificationDays: settings.value.verificationDays };
  },
  closeProblem: async (body) => ({ action: 'close', note: body?.note as string | undefined }),
  cancelProblem: async (body) => ({ action: 'cancel', reason: body?.reason as string }),
};

const handlers = new Map(
  (Object.keys(routes) as (keyof typeof routes)[]).map((name) => [
    routes[name].path,
    httpHandler(routes[name], async ({ actor, params, body, ifMatch }) => {
      // The command is built once the problem is found: a reference it checks (resolve's change) must not tell an intruder more than 404.
      const problem = await changeProblem(actor, params.id, ifMatch, async (current) =>
        applyProblemCommand(current, await COMMANDS[name](body as Body, actor), { actor, now: now().toISOString() }),
      );
      return problemResult(problem);
    }),
  ]),
);

export async function handler(event: APIGatewayProxyEvent, context: Context) {
  const route = handlers.get(event.resource);
  if (!route) throw new NotFoundError(`No problem action at ${event.resource}.`);
  return route(event, context);
}
