/**
 * Builds the whole CDK app for one stage. `app.ts` calls it for `cdk synth`;
 * tests call it directly to synthesize without the CLI.
 * @module
 */
import { App, type AppProps, Aspects, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { TenantTier } from '#shared/domain/tenant-limits.js';
import { NotifyOnAlarm } from './constructs/alarm-topic.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { EventsStack } from './stacks/events-stack.js';

/** The stage used when neither the argument nor `-c stage=…` names one. */
export const DEFAULT_STAGE = 'dev';

export interface ItsmApp {
  readonly app: App;
  readonly dataStack: DataStack;
  readonly apiStack: ApiStack;
  readonly eventsStack: EventsStack;
}

/**
 * @param stage deployment stage; defaults to the `stage` context value, then {@link DEFAULT_STAGE}
 * @param appProps passed to `App` (tests pass `context`, e.g. to skip bundling)
 */
export function buildApp(stage?: string, appProps?: AppProps): ItsmApp {
  const app = new App(appProps);
  const stageName = stage ?? (app.node.tryGetContext('stage') as string | undefined) ?? DEFAULT_STAGE;
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stageName)) throw new Error(`Invalid stage '${stageName}': lower-case letters, digits and dashes`);

  // Environment-agnostic stacks: `cdk synth` needs no account; the deploying profile picks the target.
  const dataStack = new DataStack(app, `Itsm-${stageName}-Data`, {
    stage: stageName,
    description: `ITSM stateful resources: table and user pool (${stageName})`,
    terminationProtection: stageName === 'prod',
  });
  const apiStack = new ApiStack(app, `Itsm-${stageName}-Api`, {
    stage: stageName,
    description: `ITSM HTTP API and functions (${stageName})`,
    table: dataStack.table,
    userPool: dataStack.userPool,
    userPoolClient: dataStack.userPoolClient,
  });
  apiStack.addStackDependency(dataStack, 'Functions read the table name and grants; the authorizer needs the user pool and client ids');
  const eventsStack = new EventsStack(app, `Itsm-${stageName}-Events`, {
    stage: stageName,
    description: `ITSM event bus, archive, outbox publisher and rules (${stageName})`,
    table: dataStack.table,
    userPool: dataStack.userPool,
    usagePlanIds: Object.fromEntries([...apiStack.usagePlans].map(([tier, plan]) => [tier, plan.usagePlanId])) as Record<TenantTier, string>,
  });
  eventsStack.addStackDependency(dataStack, 'The outbox publisher reads the table stream');
  eventsStack.addStackDependency(apiStack, "The tenant key target puts keys in the API's tier usage plans");

  // Every alarm of every stack, present and future, notifies the stage's alarm topic.
  Aspects.of(app).add(new NotifyOnAlarm(dataStack.alarmTopic.topic));

  Tags.of(app).add('app', 'itsm');
  Tags.of(app).add('stage', stageName);

  // cdk-nag 3 is a policy-validation plugin: it runs on synth and fails it on unacknowledged errors.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, dataStack, apiStack, eventsStack };
}
