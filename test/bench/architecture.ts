/**
 * Structural figures of the CDK app: how many Lambda functions, how many
 * CloudFormation resources the API stack holds, what a new practice adds,
 * and how much of API Gateway's 300-resources-per-API quota the route
 * table uses. Synthesized without bundling: only the templates count.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { RouteSpec } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { gatewayResourceCount } from '../../infra/constructs/gateway-document.js';
import { buildApp } from '../../infra/itsm-app.js';

/** API Gateway's default quota of resources (path segments) per REST API. */
export const GATEWAY_RESOURCE_QUOTA = 300;
/** The practices the product is meant to carry (DESIGN.md). */
export const TARGET_PRACTICES = 20;

export interface ArchitectureFigures {
  lambdaFunctions: number;
  routerFunctions: number;
  routes: number;
  apiStackResources: number;
  practices: number;
  resourcesPerPractice: number;
  projection: { practices: number; apiStackResources: number };
  gatewayResources: number;
  gatewayResourceQuota: number;
  routesPerGatewayResource: number;
  routeHeadroom: number;
}

export function measureArchitecture(): ArchitectureFigures {
  const built = buildApp('bench', { context: { 'aws:cdk:bundling-stacks': [] } });
  built.app.synth();
  const stacks = built.app.node.findAll().filter((construct): construct is Stack => construct instanceof Stack);
  const resourcesOf = (stack: Stack) => Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>);
  const lambdaFunctions = stacks.flatMap(resourcesOf).filter((resource) => resource.Type === 'AWS::Lambda::Function').length;
  const api = resourcesOf(built.apiStack);
  const practices = built.apiStack.routeStacks.size;
  // What a practice adds to the API stack: its nested stack and one invoke permission per function.
  const perPractice = (practices + built.apiStack.routeFunctions.size) / practices;
  const table = Object.values(routes) as RouteSpec[];
  const gatewayResources = gatewayResourceCount(table);
  const routesPerGatewayResource = table.length / gatewayResources;
  return {
    lambdaFunctions,
    routerFunctions: built.apiStack.routeFunctions.size,
    routes: table.length,
    apiStackResources: api.length,
    practices,
    resourcesPerPractice: perPractice,
    projection: { practices: TARGET_PRACTICES, apiStackResources: Math.ceil(api.length + (TARGET_PRACTICES - practices) * perPractice) },
    gatewayResources,
    gatewayResourceQuota: GATEWAY_RESOURCE_QUOTA,
    routesPerGatewayResource,
    routeHeadroom: Math.floor(GATEWAY_RESOURCE_QUOTA * routesPerGatewayResource),
  };
}
