/**
 * A route: one operation of the HTTP API, declared once and read by the
 * Lambda handler (validation, roles), the local server (routing), the CDK
 * stack (API Gateway method, function, grants) and the OpenAPI generator.
 * @module
 */
import type { z } from 'zod';
import type { Role } from '#shared/domain/roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway style template: `/incidents/{id}/assign`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Roles allowed to call (any of them, with the role hierarchy); `public` needs no token. */
  readonly roles: readonly Role[] | 'public';
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: { readonly status: number; readonly description: string; readonly schema?: z.ZodType };
  /** Problem statuses the operation may answer with, for the OpenAPI document. */
  readonly problems: readonly number[];
  /** Creates honour `Idempotency-Key`. */
  readonly idempotent?: boolean;
  /** Updates honour `If-Match`. */
  readonly conditional?: boolean;
  /** The table access the function is granted: least privilege. */
  readonly access: 'none' | 'read' | 'write';
  /** Handler module under `functions/`, without extension. */
  readonly handler: string;
  /**
   * A body of JSON lines (`application/x-ndjson`) instead of one JSON
   * document: the body schema then receives the lines as strings and the
   * handler reports on each.
   */
  readonly bodyFormat?: 'ndjson';
  /** Body size limit for this route. @default MAX_BODY_BYTES (64 KB) */
  readonly maxBodyBytes?: number;
  /** Function timeout; API Gateway answers 504 after 29 s whatever this says. @default 10 */
  readonly timeoutSeconds?: number;
  /** The function completes human tasks (SendTaskSuccess / SendTaskFailure) of this workflow (`statemachines/<name>.asl.json`). */
  readonly completesWorkflowTasks?: string;
}

/** Keeps the literal types of a route while checking it against `RouteSpec`. */
export function defineRoute<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined>(
  route: RouteSpec<P, Q, B>,
): RouteSpec<P, Q, B> {
  return route;
}

/** Every signed-in role: requesters and staff (managers and admins through the role hierarchy). */
export const ANY_ROLE = ['requester', 'agent'] as const;
/** Problem statuses a read may answer with. */
export const READ_PROBLEMS = [400, 401, 403, 404, 429] as const;
/** Problem statuses a write may answer with. */
export const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 412, 415, 422, 429] as const;

/**
 * The Lambda function that serves a route: one per practice and access
 * level (`incidents/read`, `incidents/write`), so a practice's routes share
 * warm containers and the API needs no function per route. A route that
 * runs long (bulk import, impact, health) gets the `-long` variant of its
 * level, which has more memory and a longer timeout. The practice is the
 * folder of the route's handler; `none` routes are served by the read
 * function.
 */
export function routeFunctionOf(route: Pick<RouteSpec, 'handler' | 'access' | 'timeoutSeconds'>): RouteFunction {
  const practice = route.handler.split('/')[0] as string;
  const level = `${route.access === 'write' ? 'write' : 'read'}${route.timeoutSeconds ? '-long' : ''}` as RouteFunction['level'];
  return { practice, level, entry: `${practice}/${level}`, name: `${practice}-${level}` };
}

/** A router function: `functions/<practice>/<level>.ts`. */
export interface RouteFunction {
  readonly practice: string;
  readonly level: 'read' | 'write' | 'read-long' | 'write-long';
  /** Module under `functions/`, without extension. */
  readonly entry: string;
  /** Short name, e.g. `incidents-read`. */
  readonly name: string;
}

/** The key a router dispatches on: API Gateway's method and resource template (`GET /incidents/{id}`). */
export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** A router function with the routes it serves and what they need of it. */
export interface RouteFunctionSpec extends RouteFunction {
  readonly routes: readonly RouteSpec[];
  /** The widest table access among its routes: the tenant role it may assume. */
  readonly access: RouteSpec['access'];
  /** The longest timeout among its routes; 0 when none asks for one. */
  readonly timeoutSeconds: number;
}

/** The router functions `routes` need, by entry (`incidents/read` …), in route-table order. */
export function routeFunctionsOf(routes: readonly RouteSpec[]): Map<string, RouteFunctionSpec> {
  const served = new Map<string, RouteSpec[]>();
  for (const route of routes) {
    const { entry } = routeFunctionOf(route);
    served.set(entry, [...(served.get(entry) ?? []), route]);
  }
  return new Map(
    [...served].map(([entry, list]) => [
      entry,
      {
        ...routeFunctionOf(list[0] as RouteSpec),
        routes: list,
        access: list.some((route) => route.access === 'write') ? 'write' : list.some((route) => route.access === 'read') ? 'read' : 'none',
        timeoutSeconds: Math.max(...list.map((route) => route.timeoutSeconds ?? 0)),
      },
    ]),
  );
}
