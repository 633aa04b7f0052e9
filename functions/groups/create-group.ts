/** `POST /groups`: tenant admins form an assignment group (idempotent with `Idempotency-Key`). @module */
import { now } from '#shared/clock.js';
import { insertGroup } from '#shared/data/groups/group-repository.js';
import { groupResource } from '#shared/http/groups/group-access.js';
import { groupRoutes as routes } from '#shared/http/groups/routes.js';
import { httpHandler, replayedResult, storedResponse } from '#shared/http/http-handler.js';
import { checkedNewGroup } from '#shared/services/groups/group-admin.js';

export const handler = httpHandler(routes.createGroup, async ({ actor, body, idempotency, path }) => {
  const { code, ...fields } = body;
  const group = await checkedNewGroup(actor, code, fields, now().toISOString());
  const result = { statusCode: 201, body: groupResource(group), headers: { location: `${path}/${group.code}` }, version: group.version };
  const replay = await insertGroup(group, actor, idempotency && { ...idempotency, response: storedResponse(result) });
  return replay ? replayedResult(replay.response) : result;
});
