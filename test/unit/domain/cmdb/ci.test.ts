/**
 * CI rules: class attribute schemas, tenant rules (service code pattern,
 * custom attributes), create / update / replace / retire, the audit diff,
 * derived ids, completeness and relationship directions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CI_CLASSES,
  type Ci,
  type CiRules,
  ciIdForExternalId,
  createCi,
  filledAttributes,
  missingAttributes,
  replaceCi,
  retireCi,
  updateCi,
  validateCiContent,
} from '#shared/domain/cmdb/ci.js';
import { canonicalRelationship, INVERSE_NAME, RELATIONSHIP_TYPES, viewFrom } from '#shared/domain/cmdb/ci-relationship.js';
import { ConflictError, ValidationError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { thrownBy } from '../../../support/thrown-by.js';

const actor: Actor = { tenantId: 'acme', userId: 'ada', roles: ['agent'] };
const rules: CiRules = {
  serviceCodePattern: '^[A-Z][A-Z0-9-]{1,31}$',
  customAttributes: [
    { name: 'costCentre', class: '*', type: 'string', required: true },
    { name: 'rackUnits', class: 'server', type: 'number', required: false },
    { name: 'commissioned', class: 'server', type: 'date', required: false },
  ],
};
const ctx = { actor, now: '2026-11-22T10:00:00.000Z', rules };
const later = { ...ctx, now: '2026-11-23T10:00:00.000Z' };

const fields = (error: unknown) => (error as ValidationError).errors.map((e) => e.field).sort();

describe('class attribute schemas', () => {
  it.each([
    ['server', { hostname: 'h', ipAddress: '10.0.0.1', cpuCount: 8 }, []],
    ['server', { ipAddress: '999.1.1.1' }, ['body.attributes.ipAddress']],
    ['server', { cpuCount: 0 }, ['body.attributes.cpuCount']],
    ['server', { engine: 'pg' }, ['body.attributes.engine']],
    ['database', { engine: 'postgresql', port: 5432 }, []],
    ['database', { port: 70000 }, ['body.attributes.port']],
    ['application', { url: 'not a url' }, ['body.attributes.url']],
    ['cloud_resource', { provider: 'aws', resourceId: 'arn:aws:ec2:…', region: 'cn-north-1' }, []],
    ['network_device', { deviceType: 'hub' }, ['body.attributes.deviceType']],
    ['business_service', {}, ['body.attributes.serviceCode']],
    ['business_service', { serviceCode: 'bad code' }, ['body.attributes.serviceCode']],
    ['business_service', { serviceCode: 'SVC-1' }, []],
    ['generic', { rack: 'A1', units: 2, hot: true }, []],
    ['generic', { 'bad key': 1 }, ['body.attributes.bad key']],
  ] as const)('%s %j → errors %j', (ciClass, attributes, expected) => {
    expect(
      validateCiContent(ciClass, attributes, {}, rules)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(expected);
  });

  it('fills catalogue defaults of a business service', () => {
    expect(validateCiContent('business_service', { serviceCode: 'SVC-1' }, {}, rules).attributes).toEqual({
      serviceCode: 'SVC-1',
      catalogueStatus: 'pipeline',
    });
  });

  it.each([
    [{ costCentre: 'CC-1' }, []],
    [{ costCentre: 7 }, ['body.custom.costCentre']],
    [{ rackUnits: 2, commissioned: '2024-03-01' }, []],
    [{ commissioned: 'yesterday' }, ['body.custom.commissioned']],
    [{ colour: 'red' }, ['body.custom.colour']],
    [{ costCentre: null }, []],
  ])('custom values %j on a server → errors %j', (custom, expected) => {
    expect(validateCiContent('server', {}, custom, rules).errors.map((e) => e.field)).toEqual(expected);
  });

  it('applies class-bound custom attributes to their class only', () => {
    expect(validateCiContent('database', {}, { rackUnits: 2 }, rules).errors.map((e) => e.field)).toEqual(['body.custom.rackUnits']);
  });
});

describe('CI changes', () => {
  const server = () => createCi({ class: 'server', name: 'host-1', attributes: { hostname: 'host-1' }, custom: { costCentre: 'CC-1' } }, 'CI1', ctx).ci;

  it('creates version 1 with defaults and a diff of every value set', () => {
    const change = createCi({ class: 'server', name: 'host-1', ownerGroup: 'infra', attributes: { hostname: 'host-1' } }, 'CI1', ctx);
    expect(change.ci).toMatchObject({ id: 'CI1', tenantId: 'acme', version: 1, status: 'planned', environment: null, createdBy: 'ada', importedFrom: null });
    expect(change.eventType).toBe('CiCreated');
    expect(change.changes).toEqual([
      { field: 'class', from: null, to: 'server' },
      { field: 'name', from: null, to: 'host-1' },
      { field: 'status', from: null, to: 'planned' },
      { field: 'ownerGroup', from: null, to: 'infra' },
      { field: 'attributes.hostname', from: null, to: 'host-1' },
    ]);
  });

  it('refuses invalid content with every field', () => {
    const error = thrownBy(() => createCi({ class: 'server', name: 'x', attributes: { cpuCount: -1, colour: 'red' }, custom: { nope: 1 } }, 'CI1', ctx));
    expect(error).toBeInstanceOf(ValidationError);
    expect(fields(error)).toEqual(['body.attributes.colour', 'body.attributes.cpuCount', 'body.custom.nope']);
  });

  it('merges attributes and custom values, removes a custom value with null, and audits each', () => {
    const change = updateCi(server(), { location: 'DC-1', attributes: { os: 'Linux' }, custom: { costCentre: null, rackUnits: 2 } }, later);
    expect(change?.ci).toMatchObject({
      version: 2,
      location: 'DC-1',
      attributes: { hostname: 'host-1', os: 'Linux' },
      custom: { rackUnits: 2 },
      updatedAt: later.now,
    });
    expect(change?.changes).toEqual([
      { field: 'location', from: null, to: 'DC-1' },
      { field: 'attributes.os', from: null, to: 'Linux' },
      { field: 'custom.costCentre', from: 'CC-1', to: null },
      { field: 'custom.rackUnits', from: null, to: 2 },
    ]);
  });

  it('removes a class attribute with null', () => {
    const change = updateCi(server(), { attributes: { hostname: null } }, later);
    expect(change?.ci.attributes).toEqual({});
    expect(change?.changes).toEqual([{ field: 'attributes.hostname', from: 'host-1', to: null }]);
  });

  it('writes nothing for a patch that changes nothing', () => {
    expect(updateCi(server(), { name: 'host-1', attributes: { hostname: 'host-1' } }, later)).toBeNull();
  });

  it('retires once; a retired CI cannot change', () => {
    const retired = retireCi(server(), later);
    expect(retired.ci).toMatchObject({ status: 'retired', retiredAt: later.now, version: 2 });
    expect(retired.eventType).toBe('CiRetired');
    expect(thrownBy(() => retireCi(retired.ci, later))).toBeInstanceOf(ConflictError);
    expect(thrownBy(() => updateCi(retired.ci, { name: 'x' }, later))).toBeInstanceOf(ConflictError);
  });

  it('replaces the whole content on import, keeps creation and retirement, refuses a class change', () => {
    const current: Ci = { ...retireCi(server(), later).ci };
    const importCtx = { ...later, importedFrom: { importId: 'IMP', line: 3 } };
    expect(
      replaceCi(current, { class: 'server', name: 'host-1', attributes: { hostname: 'host-1' }, custom: { costCentre: 'CC-1' } }, importCtx, 'line'),
    ).toBeNull();
    const replaced = replaceCi(current, { class: 'server', name: 'host-1' }, importCtx, 'line');
    expect(replaced?.ci).toMatchObject({
      status: 'retired',
      createdAt: ctx.now,
      attributes: {},
      custom: {},
      importedFrom: { importId: 'IMP', line: 3 },
      version: 3,
    });
    expect(replaced?.action).toBe('import');
    expect(fields(thrownBy(() => replaceCi(current, { class: 'database', name: 'x' }, importCtx, 'line')))).toEqual(['line.class']);
  });
});

describe('derived ids', () => {
  it('are stable, 26 Crockford characters, and differ by external id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 256 }), fc.string({ minLength: 1, maxLength: 256 }), (a, b) => {
        const id = ciIdForExternalId(a);
        expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(ciIdForExternalId(a)).toBe(id);
        if (a !== b) expect(ciIdForExternalId(b)).not.toBe(id);
      }),
    );
  });
});

describe('completeness', () => {
  it.each(CI_CLASSES)('%s: a bare CI misses exactly its expected attributes and the required custom ones', (ciClass) => {
    const bare = { class: ciClass, attributes: {}, custom: {} };
    const missing = missingAttributes(ciClass, filledAttributes(bare), rules.customAttributes);
    expect(missing).toContain('custom.costCentre');
    expect(missing).not.toContain('custom.rackUnits');
    expect(missing.length).toBeGreaterThan(1);
  });

  it('counts common fields, class attributes and custom values as filled', () => {
    const ci = createCi(
      {
        class: 'server',
        name: 'h',
        ownerGroup: 'infra',
        environment: 'production',
        location: 'DC-1',
        attributes: { hostname: 'h', ipAddress: '10.0.0.1', os: 'Linux', serialNumber: 'S1' },
        custom: { costCentre: 'C' },
      },
      'CI1',
      ctx,
    ).ci;
    expect(missingAttributes('server', filledAttributes(ci), rules.customAttributes)).toEqual([]);
  });
});

describe('relationship directions', () => {
  it.each([
    ['app', 'runs_on', 'vm', { type: 'runs_on', dependentId: 'app', dependencyId: 'vm' }],
    ['vm', 'hosts', 'app', { type: 'runs_on', dependentId: 'app', dependencyId: 'vm' }],
    ['disk', 'part_of', 'array', { type: 'contains', dependentId: 'array', dependencyId: 'disk' }],
    ['array', 'contains', 'disk', { type: 'contains', dependentId: 'array', dependencyId: 'disk' }],
    ['db', 'used_by', 'app', { type: 'depends_on', dependentId: 'app', dependencyId: 'db' }],
    ['srv', 'connects_to', 'switch', { type: 'connects_to', dependentId: 'srv', dependencyId: 'switch' }],
    ['switch', 'connected_by', 'srv', { type: 'connects_to', dependentId: 'srv', dependencyId: 'switch' }],
  ] as const)('%s %s %s is stored as %j', (from, type, to, stored) => {
    expect(canonicalRelationship(from, type, to)).toEqual(stored);
  });

  it('reads back as said, from either end', () => {
    for (const type of RELATIONSHIP_TYPES) {
      const stored = canonicalRelationship('a', type, 'b');
      expect(viewFrom('a', stored)).toMatchObject({ type, otherId: 'b' });
      const fromB = viewFrom('b', stored);
      expect(fromB.otherId).toBe('a');
      expect(fromB.direction).not.toBe(viewFrom('a', stored).direction);
      expect(fromB.type === INVERSE_NAME[stored.type] || fromB.type === stored.type).toBe(true);
      expect(canonicalRelationship('b', fromB.type, 'a')).toEqual(stored);
    }
  });
});
