/**
 * The router inside a practice's function: API Gateway (or the local
 * server) hands it a proxy event, and it runs the handler module of the
 * event's method and resource template. Each handler module is imported on
 * the first request that needs it (its own chunk in the bundle), so a cold
 * start pays only for the shared SDK client and middleware, and a route's
 * schemas are built only when the route is used.
 * @module
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFoundError } from '#shared/domain/errors.js';
import { problemResponse } from './problem.js';
import { type RouteSpec, routeKey } from './route.js';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Imports one route's handler module. */
export type RouteModuleLoader = () => Promise<{ readonly handler: ProxyHandler }>;

/** The routes a function serves: `routeKey(route)` → its handler module. */
export type RouteModules = Readonly<Record<string, RouteModuleLoader>>;

/** A Lambda handler that dispatches on `${httpMethod} ${resource}` to `modules`. */
export function createRouter(modules: RouteModules): ProxyHandler {
  const loaded = new Map<string, Promise<ProxyHandler>>();
  return async (event, context) => {
    const key = `${event.httpMethod} ${event.resource}`;
    const load = Object.hasOwn(modules, key) ? modules[key] : undefined;
    // Only a deployment whose API and functions disagree gets here; answer as the gateway would.
    if (!load) return problemResponse(new NotFoundError(`No operation matches ${key}.`), event.path);
    let handler = loaded.get(key);
    if (!handler) {
      handler = load().then((module) => module.handler);
      // A failed import is not cached: the next request tries again.
      handler.catch(() => loaded.delete(key));
      loaded.set(key, handler);
    }
    return (await handler)(event, context);
  };
}

/**
 * The route modules of `routes`, each loaded through `load(route.handler)`:
 * how the local server builds a router function from the route table, as
 * the bundler's generated entry does with literal imports.
 */
export function routeModulesOf(
  routes: readonly Pick<RouteSpec, 'method' | 'path' | 'handler'>[],
  load: (handler: string) => Promise<{ readonly handler: ProxyHandler }>,
): RouteModules {
  return Object.fromEntries(routes.map((route) => [routeKey(route), () => load(route.handler)]));
}
