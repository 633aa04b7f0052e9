/**
 * The change approval workflow file is valid Amazon States Language
 * (offline, with `asl-validator`), stays on JSONPath, and keeps its
 * contract with CDK (one placeholder), the task function (its steps and
 * the token) and the answers people give.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { substitute } from '../../../infra/local/local-workflows.js';

type Validate = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)('asl-validator') as Validate;

const text = readFileSync(new URL('../../../statemachines/change-approval.asl.json', import.meta.url), 'utf8');
const definition = JSON.parse(text) as { QueryLanguage?: string; StartAt: string; States: Record<string, Record<string, unknown>> };
const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

describe('change-approval.asl.json', () => {
  it('is valid ASL, JSON paths and ARNs checked', () => {
    const result = validate(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the validator would catch a dangling transition', () => {
    const broken = structuredClone(definition);
    (broken.States.Rollback as Record<string, unknown>).Next = 'Nowhere';
    expect(validate(broken).isValid).toBe(false);
  });

  it('uses JSONPath and documents every state', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toContain('{%');
    for (const [name, state] of Object.entries(definition.States)) expect(typeof state.Comment, name).toBe('string');
  });

  it('invokes one function, named by the one CDK placeholder, with a step per Task', () => {
    expect(new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]))).toEqual(new Set(['ChangeWorkflowTaskFunctionArn']));
    expect(substitute(text, { ChangeWorkflowTaskFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:f' })).not.toContain('${');
    expect(tasks.map(([name, state]) => [name, (state.Parameters as { Payload: { step: string } }).Payload.step])).toEqual([
      ['RequestApproval', 'requestApproval'],
      ['ApprovalTimedOut', 'approvalTimedOut'],
      ['Schedule', 'schedule'],
      ['StartImplementation', 'startImplementation'],
      ['Rollback', 'rollback'],
    ]);
  });

  it('human steps wait for their token, pass it to the function, and time out', () => {
    for (const name of ['RequestApproval', 'StartImplementation']) {
      const state = definition.States[name] as Record<string, unknown> & { Parameters: { Payload: Record<string, string> } };
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.Parameters.Payload['TaskToken.$']).toBe('$$.Task.Token');
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath).toBeDefined();
    }
    expect(definition.States.RequestApproval?.TimeoutSecondsPath).toBe('$.approvalTimeoutSeconds');
    expect(definition.States.RequestApproval?.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'ApprovalTimedOut' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
    ]);
  });

  it('routes standard changes past approval, and every answer to its state', () => {
    expect(definition.States.RouteByType).toMatchObject({
      Choices: [{ Variable: '$.changeType', StringEquals: 'standard', Next: 'Schedule' }],
      Default: 'RequestApproval',
    });
    const next = (choice: string) =>
      Object.fromEntries(
        ((definition.States[choice]?.Choices ?? []) as { StringEquals: string; Next: string }[]).map((rule) => [rule.StringEquals, rule.Next]),
      );
    expect(next('ApprovalDecided')).toEqual({ approved: 'Schedule', level_approved: 'RequestApproval', rejected: 'Rejected' });
    expect(next('TimeoutDecided')).toEqual({ escalated: 'RequestApproval', expired: 'Expired' });
    expect(next('ImplementationResult')).toEqual({ failed: 'Rollback', success: 'InReview' });
    expect(definition.States.WaitForWindow).toMatchObject({ Type: 'Wait', TimestampPath: '$.window.plannedStart', Next: 'StartImplementation' });
  });

  it('every task retries Lambda service errors first and catches everything into Failed', () => {
    for (const [name, state] of tasks) {
      const [first] = state.Retry as { ErrorEquals: string[] }[];
      expect(first?.ErrorEquals, name).toContain('Lambda.ServiceException');
      expect((state.Catch as { ErrorEquals: string[]; Next: string }[]).at(-1), name).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Failed' });
    }
  });
});
