/**
 * Template tests of the continuity wiring: the workflow deployed from the
 * same ASL file the local runner executes, its task functions and their
 * least-privilege rights, the bus rules that start it and that flag plans
 * on major changes, and the API route that completes its human tasks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RULES } from '#shared/events/rules.js';
import { routeFunctionOf } from '#shared/http/route.js';
import { routes } from '#shared/http/routes.js';
import { buildApp } from '../../infra/itsm-app.js';

type Statement = { Action: string | string[]; Resource: unknown };
let events: Template;
/** The API stack and the nested stacks of its route functions. */
let apiTemplates: Template[];

beforeAll(() => {
  const built = buildApp('test', { context: { 'aws:cdk:bundling-stacks': [] } });
  built.app.synth();
  events = Template.fromStack(built.eventsStack);
  apiTemplates = [built.apiStack, ...built.apiStack.routeStacks.values()].map((stack) => Template.fromStack(stack));
});

/** Resources of one type across the API stack and its nested route stacks. */
function apiResources(type: string): ReturnType<Template['findResources']> {
  return Object.assign({}, ...apiTemplates.map((template) => template.findResources(type)));
}

function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function continuityMachine() {
  const entry = Object.entries(events.findResources('AWS::StepFunctions::StateMachine')).find(
    ([, machine]) => machine.Properties.StateMachineName === 'itsm-test-continuity-test',
  );
  if (!entry) throw new Error('no continuity-test state machine');
  return { id: entry[0], machine: entry[1] };
}

describe('continuity test workflow', () => {
  it('is the ASL file itself, traced, logged without execution data, with all five tasks substituted', () => {
    const { machine } = continuityMachine();
    const asl = JSON.parse(readFileSync(join(process.cwd(), 'statemachines', 'continuity-test.asl.json'), 'utf8'));
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
    expect(JSON.parse(machine.Properties.DefinitionString)).toEqual(asl);
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(
      ['CompleteTestFunctionArn', 'OpenActionPlanFunctionArn', 'RecordTestStartFunctionArn', 'RequestConfirmationFunctionArn', 'RunProbeFunctionArn'].sort(),
    );
  });

  it('may invoke exactly its five functions, by unqualified ARN', () => {
    const { machine } = continuityMachine();
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const invoke = statementsOfRole(events, roleId).filter((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Resource as unknown[]).toHaveLength(5);
    expect(JSON.stringify(invoke[0]?.Resource)).not.toContain(':*');
  });

  it('the probe function has no table access; the recording functions do', () => {
    const functions = events.findResources('AWS::Lambda::Function');
    const probe = Object.entries(functions).find(([id]) => id.startsWith('ContinuityTestRunProbe'));
    expect(probe).toBeDefined();
    expect(probe?.[1].Properties.Environment?.Variables ?? {}).not.toHaveProperty('TABLE_NAME');
    expect(JSON.stringify(statementsOfRole(events, probe?.[1].Properties.Role['Fn::GetAtt'][0]))).not.toContain('dynamodb:');
    const complete = Object.entries(functions).find(([id]) => id.startsWith('ContinuityTestCompleteTest'));
    expect(JSON.stringify(statementsOfRole(events, complete?.[1].Properties.Role['Fn::GetAtt'][0]))).toContain('dynamodb:PutItem');
  });

  it('the step runner may invoke the account’s recovery runbooks (itsm-recovery-*) and no other function; nothing else may', () => {
    const functions = events.findResources('AWS::Lambda::Function');
    const invokers = Object.entries(functions).filter(([, fn]) =>
      statementsOfRole(events, fn.Properties.Role['Fn::GetAtt'][0]).some((statement) => JSON.stringify(statement).includes(':function:itsm-recovery-*')),
    );
    expect(invokers.map(([id]) => id)).toEqual([expect.stringMatching(/^ContinuityTestRunProbe/)]);
    const statement = statementsOfRole(events, invokers[0]?.[1].Properties.Role['Fn::GetAtt'][0]).find((candidate) =>
      JSON.stringify(candidate).includes('itsm-recovery-'),
    );
    expect(statement?.Action).toBe('lambda:InvokeFunction');
  });

  it('alarms on failed executions', () => {
    const { id } = continuityMachine();
    const alarms = Object.values(events.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'ExecutionsFailed' && JSON.stringify(alarm.Properties.Dimensions).includes(id),
    );
    expect(alarms).toHaveLength(1);
  });

  it('is started by the StartContinuityTest rule target, which may start only it; major changes reach the retest function', () => {
    const { id } = continuityMachine();
    const starters = Object.values(events.findResources('AWS::Lambda::Function')).filter(
      (fn) => JSON.stringify(fn.Properties.Environment?.Variables?.CONTINUITY_TEST_STATE_MACHINE_ARN) === JSON.stringify({ Ref: id }),
    );
    expect(starters).toHaveLength(1);
    const statements = statementsOfRole(events, starters[0]?.Properties.Role['Fn::GetAtt'][0]);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: id } }));
    const retest = EVENT_RULES.find((rule) => rule.name === 'RequireContinuityRetest');
    const rules = Object.values(events.findResources('AWS::Events::Rule')).filter(
      (rule) => JSON.stringify(rule.Properties.EventPattern) === JSON.stringify(retest?.pattern),
    );
    expect(rules).toHaveLength(1);
  });

  it('the function serving the confirm route may complete tasks of that state machine only; no other API function may', () => {
    const functions = apiResources('AWS::Lambda::Function');
    const roles = Object.values(apiResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('states:SendTaskSuccess'),
    );
    expect(roles).toHaveLength(1);
    const statement = ((roles[0]?.Properties.PolicyDocument.Statement ?? []) as Statement[]).find((candidate) =>
      JSON.stringify(candidate.Action).includes('SendTaskSuccess'),
    );
    expect(statement?.Action).toEqual(['states:SendTaskSuccess', 'states:SendTaskFailure']);
    expect(JSON.stringify(statement?.Resource)).toContain(':stateMachine:itsm-test-continuity-test');
    const { name } = routeFunctionOf(routes.confirmContinuityStep);
    const constructId = name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
    const confirm = Object.entries(functions).find(([id]) => new RegExp(`^${constructId}Function[0-9A-F]{8}$`).test(id));
    expect(confirm).toBeDefined();
    expect(JSON.stringify(roles[0]?.Properties.Roles)).toContain(confirm?.[1].Properties.Role['Fn::GetAtt'][0]);
  });

  it('the next regular test is scheduled by a function that may create schedules in the stage group and knows its own ARN', () => {
    events.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const [scheduler] = Object.values(events.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.CONTINUITY_SCHEDULE_PLAN_TEST_FUNCTION_ARN !== undefined,
    );
    expect(scheduler?.Properties.FunctionName).toBe('itsm-test-ScheduleContinuityTests');
    expect(JSON.stringify(scheduler?.Properties.Environment.Variables.CONTINUITY_SCHEDULE_PLAN_TEST_FUNCTION_ARN)).toContain(
      'function:itsm-test-ScheduleContinuityTests',
    );
    const statements = statementsOfRole(events, scheduler?.Properties.Role['Fn::GetAtt'][0]);
    expect(JSON.stringify(statements)).toContain('scheduler:CreateSchedule');
    expect(JSON.stringify(statements)).toContain('schedule/itsm-test/*');
  });
});
