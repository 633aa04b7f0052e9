/**
 * Template tests for the change approval workflow in the events stack: the
 * state machine from the very ASL file the local runner executes, its
 * logging, tracing and alarm, and who may touch its executions and tasks.
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
/** The policies granting `action` on the change approval state machine. */
const holders = (action: string) =>
  [
    ...new Set(
      statements
        .filter(({ statement }) => actionsOf(statement).includes(action) && JSON.stringify(statement.Resource).includes('itsm-test-change-approval'))
        .map(({ policy }) => policy),
    ),
  ].sort();

describe('change approval workflow', () => {
  it('deploys statemachines/change-approval.asl.json as a Standard state machine with the task function substituted', () => {
    const machines = events.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'itsm-test-change-approval' } });
    const [machine] = Object.values(machines);
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      DefinitionSubstitutions: { ChangeWorkflowTaskFunctionArn: { 'Fn::GetAtt': [expect.stringMatching(/^ChangeApprovalTaskFunction/), 'Arn'] } },
    });
    const file = readFileSync(join(REPO_ROOT, 'statemachines', 'change-approval.asl.json'), 'utf8');
    expect(machine?.Properties.DefinitionString).toBe(file);
  });

  it('lets the state machine invoke its task function only, without the version wildcard', () => {
    const invokes = statements.filter(({ policy, statement }) => policy.startsWith('ChangeApproval') && actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invokes).toHaveLength(1);
    expect(JSON.stringify(invokes[0]?.statement.Resource)).toContain('ChangeApprovalTask');
    expect(JSON.stringify(invokes[0]?.statement.Resource)).not.toContain(':*');
  });

  it('grants task responses to the task function and the advancer only, on this state machine', () => {
    expect(holders('states:SendTaskSuccess')).toEqual([expect.stringMatching(/^ChangeApprovalTask/), expect.stringMatching(/^ChangeWorkflowTarget/)].sort());
    for (const { statement } of statements.filter(
      ({ policy, statement }) => actionsOf(statement).includes('states:SendTaskSuccess') && holders('states:SendTaskSuccess').includes(policy),
    )) {
      expect(actionsOf(statement).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
      expect(JSON.stringify(statement.Resource)).toContain(':stateMachine:itsm-test-change-approval');
    }
    const startsChanges = statements.filter(
      ({ statement }) => actionsOf(statement).includes('states:StartExecution') && JSON.stringify(statement.Resource).includes('ChangeApprovalStateMachine'),
    );
    expect(startsChanges.map(({ policy }) => policy)).toEqual([expect.stringMatching(/^ChangeWorkflowTarget/)]);
    // Stopping change executions: the advancer only (the SLA re-arming stops escalation executions, not these).
    const stopsChanges = statements.filter(
      ({ statement }) =>
        actionsOf(statement).includes('states:StopExecution') && JSON.stringify(statement.Resource).includes(':execution:itsm-test-change-approval:'),
    );
    expect(stopsChanges.map(({ policy }) => policy)).toEqual([expect.stringMatching(/^ChangeWorkflowTarget/)]);
    expect(JSON.stringify(stopsChanges[0]?.statement.Resource)).toContain(':execution:itsm-test-change-approval:*');
  });

  it('lets the advancer read the table only: it writes nothing', () => {
    const writes = statements.filter(
      ({ policy, statement }) =>
        policy.startsWith('ChangeWorkflowTarget') &&
        actionsOf(statement).some((action) => action.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(action)),
    );
    expect(writes).toEqual([]);
    expect(statements.some(({ policy, statement }) => policy.startsWith('ChangeWorkflowTarget') && actionsOf(statement).includes('dynamodb:GetItem'))).toBe(
      true,
    );
  });

  it('gives the advancer the state machine ARN under the name shared/workflows reads', () => {
    events.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CHANGE_APPROVAL_STATE_MACHINE_ARN: Match.anyValue() }) },
    });
  });

  it('alarms on failed executions', () => {
    events.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Threshold: 0,
      AlarmDescription: Match.stringLikeRegexp('change approval'),
    });
  });
});
