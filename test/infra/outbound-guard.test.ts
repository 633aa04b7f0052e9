/**
 * The outbound guard's local setting never reaches AWS: no deployed
 * function (API routers, the authorizer, the webhook dispatcher, the
 * continuity probe task, anything in any stack or nested stack) carries
 * the variable that allows loopback targets, so webhook and probe URLs
 * there must reach public https addresses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_LOOPBACK_VARIABLE } from '#shared/services/outbound/outbound-guard.js';
import { buildApp } from '../../infra/itsm-app.js';

type Resource = { Type: string; Properties: { Handler?: string; Environment?: { Variables?: Record<string, unknown> } } };
let templates: Record<string, { Resources?: Record<string, Resource> }>;

beforeAll(() => {
  const assembly = buildApp('test', { context: { 'aws:cdk:bundling-stacks': [] } }).app.synth();
  // Every template of the assembly: the top-level stacks and the nested route stacks alike.
  templates = Object.fromEntries(
    readdirSync(assembly.directory)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => [file, JSON.parse(readFileSync(join(assembly.directory, file), 'utf8'))]),
  );
});

describe('the outbound guard in AWS', () => {
  it('no deployed function carries the local setting that allows loopback targets', () => {
    const functions = Object.entries(templates).flatMap(([file, template]) =>
      Object.entries(template.Resources ?? {})
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([id, resource]) => ({ id: `${file}/${id}`, variables: resource.Properties.Environment?.Variables ?? {} })),
    );
    // The functions that call tenant URLs are among those checked.
    const ids = functions.map((fn) => fn.id);
    expect(
      ids.filter((id) => /RunProbe/.test(id)),
      ids.join(', '),
    ).toHaveLength(1);
    expect(
      ids.filter((id) => /WebhookFanOutTarget/.test(id)),
      ids.join(', '),
    ).toHaveLength(1);
    for (const fn of functions) {
      expect(fn.variables, fn.id).not.toHaveProperty(ALLOW_LOOPBACK_VARIABLE);
      expect(fn.variables, fn.id).not.toHaveProperty('ALLOW_LOOPBACK_WEBHOOKS');
    }
    for (const [file, template] of Object.entries(templates)) expect(JSON.stringify(template), file).not.toContain(ALLOW_LOOPBACK_VARIABLE);
  });
});
