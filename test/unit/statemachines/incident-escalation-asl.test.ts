/**
 * The escalation workflow file is valid Amazon States Language (offline,
 * with `asl-validator`), stays on JSONPath, and keeps its contract with
 * CDK (placeholders) and with the evaluate-sla task.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { substitute } from '../../../infra/local/local-workflows.js';

/** The CDK definition substitution, spelt as in the file. */
const FUNCTION_PLACEHOLDER = ['$', '{EvaluateSlaFunctionArn}'].join('');

type Validate = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)('asl-validator') as Validate;

const text = readFileSync(new URL('../../../statemachines/incident-escalation.asl.json', import.meta.url), 'utf8');
const definition = JSON.parse(text) as {
  QueryLanguage?: string;
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
};

describe('incident-escalation.asl.json', () => {
  it('is valid ASL, JSON paths and ARNs checked', () => {
    const result = validate(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the validator would catch a broken catch', () => {
    const broken = structuredClone(definition);
    ((broken.States.EvaluateSla as { Catch: { Next: string }[] }).Catch[0] as { Next: string }).Next = 'Nowhere';
    expect(validate(broken).isValid).toBe(false);
  });

  it('uses JSONPath (the local runner ignores JSONata) and documents every state', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toContain('{%');
    for (const [name, state] of Object.entries(definition.States)) expect(typeof state.Comment, name).toBe('string');
  });

  it('invokes the function through the Lambda integration, named by the one CDK placeholder', () => {
    expect(definition.StartAt).toBe('EvaluateSla');
    expect(definition.States.EvaluateSla).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: FUNCTION_PLACEHOLDER, 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    });
    expect([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1])).toEqual(['EvaluateSlaFunctionArn', 'EvaluateSlaFunctionArn']);
    expect(substitute(text, { EvaluateSlaFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:f' })).not.toContain(FUNCTION_PLACEHOLDER);
  });

  it('retries Lambda service errors with backoff before anything else', () => {
    const [service] = (definition.States.EvaluateSla?.Retry ?? []) as { ErrorEquals: string[]; BackoffRate: number; MaxAttempts: number }[];
    expect(service?.ErrorEquals).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']));
    expect(service?.BackoffRate).toBeGreaterThan(1);
  });

  it('never waits: one task per wake-up, then the end (the next wake-up is a schedule, not a billed Wait)', () => {
    expect(definition.States.EvaluateSla).toMatchObject({ End: true });
    expect(Object.values(definition.States).map((state) => state.Type)).toEqual(['Task', 'Fail']);
  });
});
