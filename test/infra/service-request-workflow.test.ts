/**
 * Template tests for the service request workflow in the events stack: the
 * state machine from the very ASL file the local runner executes, its
 * logging, tracing and alarm; who may start and answer it; the target
 * watch's rule and schedules; and the follow-up schedules' function gone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/constructs/bundling.js';
import { buildApp } from '../../infra/itsm-app.js';

let events: Template;
type Statement = { Action: string | string[]; Resource: unknown };
let statements: { policy: string; statement: Statement }[];

beforeAll(() => {
  const built = buildApp('test', { context: { 'aws:cdk:bundling-stacks': [] } });
  built.app.synth(); // runs cdk-nag: throws on an unacknowledged finding
  events = Template.fromStack(built.eventsStack);
  statements = Object.entries(events.findResources('AWS::IAM::Policy')).flatMap(([policy, resource]) =>
    (resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ policy, statement })),
  );
});

const actionsOf = (statement: Statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const on = (resource: string) => statements.filter(({ statement }) => JSON.stringify(statement.Resource).includes(resource));

describe('service request workflow', () => {
  it('deploys statemachines/service-request.asl.json as a Standard state machine with the task function substituted', () => {
    const machines = events.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'itsm-test-service-request' } });
    const [machine] = Object.values(machines);
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      DefinitionSubstitutions: { RequestWorkflowTaskFunctionArn: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceRequestTaskFunction/), 'Arn'] } },
    });
    expect(machine?.Properties.DefinitionString).toBe(readFileSync(join(REPO_ROOT, 'statemachines', 'service-request.asl.json'), 'utf8'));
  });

  it('lets the task function and the advancer answer its tasks, on this state machine only; the advancer alone starts it', () => {
    const answering = on(':stateMachine:itsm-test-service-request').filter(({ statement }) => actionsOf(statement).includes('states:SendTaskSuccess'));
    expect(answering.map(({ policy }) => policy).sort()).toEqual([
      expect.stringMatching(/^RequestWorkflowTarget/),
      expect.stringMatching(/^ServiceRequestTask/),
    ]);
    const starting = on('ServiceRequestStateMachine').filter(({ statement }) => actionsOf(statement).includes('states:StartExecution'));
    expect(starting.map(({ policy }) => policy)).toEqual([expect.stringMatching(/^RequestWorkflowTarget/)]);
    const advancerWrites = statements.filter(
      ({ policy, statement }) =>
        policy.startsWith('RequestWorkflowTarget') &&
        actionsOf(statement).some((action) => action.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(action)),
    );
    expect(advancerWrites).toEqual([]);
  });

  it('gives the advancer the state machine ARN and the target watch its own ARN for its schedules', () => {
    events.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SERVICE_REQUEST_STATE_MACHINE_ARN: Match.anyValue() }) },
    });
    events.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ REQUESTS_WATCH_REQUEST_TARGETS_FUNCTION_ARN: Match.anyValue() }) },
    });
    const functions = JSON.stringify(events.findResources('AWS::Lambda::Function'));
    expect(functions).not.toContain('SCHEDULE_REQUEST_FOLLOW_UPS');
  });

  it('alarms on failed executions', () => {
    events.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Threshold: 0,
      AlarmDescription: Match.stringLikeRegexp('service request workflow'),
    });
  });
});
