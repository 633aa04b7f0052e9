/** `GET /ci-classes`: attribute schemas of the classes, relationship types and their inverses. @module */
import * as z from 'zod';
import { CI_CLASSES, CLASS_ATTRIBUTES, EXPECTED_ATTRIBUTES } from '#shared/domain/cmdb/ci.js';
import { CANONICAL_RELATIONSHIP_TYPES, INVERSE_NAME } from '#shared/domain/cmdb/ci-relationship.js';
import { cmdbRoutes as routes } from '#shared/http/cmdb/routes.js';
import { httpHandler } from '#shared/http/http-handler.js';

const body = {
  classes: CI_CLASSES.map((name) => ({
    class: name,
    attributes: z.toJSONSchema(CLASS_ATTRIBUTES[name], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    expected: [...EXPECTED_ATTRIBUTES[name]],
  })),
  relationshipTypes: CANONICAL_RELATIONSHIP_TYPES.flatMap((type) => [
    { type, inverse: INVERSE_NAME[type] },
    { type: INVERSE_NAME[type], inverse: type },
  ]),
};

export const handler = httpHandler(routes.listCiClasses, async () => ({ statusCode: 200, body }));
