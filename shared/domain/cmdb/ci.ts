/**
 * Configuration items: the classes, the attribute schema of each class, the
 * common fields every CI carries, and the pure rules that create, edit and
 * retire one. A business service is a CI of class `business_service`; its
 * class attributes are the service catalogue entry.
 * @module
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ConflictError, type FieldError, ValidationError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { Actor } from '#shared/domain/roles.js';
import { matchesTenantPattern } from '../tenant-pattern.js';

export const CI_CLASSES = [
  'business_service',
  'technical_service',
  'application',
  'server',
  'virtual_machine',
  'database',
  'network_device',
  'storage',
  'middleware',
  'cloud_resource',
  'generic',
] as const;
export type CiClass = (typeof CI_CLASSES)[number];

/** Life cycle: planned → in service ⇄ maintenance → retired (retired is final). */
export const CI_STATUSES = ['planned', 'in_service', 'maintenance', 'retired'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];

export const ENVIRONMENTS = ['production', 'staging', 'test', 'development', 'disaster_recovery'] as const;
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Catalogue state of a business service: only `live` services are published by `GET /services`. */
export const CATALOGUE_STATUSES = ['pipeline', 'live', 'retired'] as const;

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Scalar = z.union([z.string().max(1_000), z.number(), z.boolean()]);
const Port = z.number().int().min(1).max(65_535);
const Size = z.number().nonnegative();

/**
 * Attribute schema per class (strict: an attribute the class does not know
 * is an error, so typos do not become data). `generic` takes any scalars.
 */
export const CLASS_ATTRIBUTES = {
  business_service: z.strictObject({
    serviceCode: text(32).meta({ description: "Unique in the tenant; must match the tenant's code pattern" }),
    category: text(100).optional(),
    supportHours: text(200).optional().meta({ example: 'Mon–Fri 08:00–18:00 Asia/Shanghai' }),
    slaTier: text(50).optional().meta({ example: 'gold' }),
    catalogueStatus: z.enum(CATALOGUE_STATUSES).default('pipeline'),
    customerFacing: z.boolean().optional(),
  }),
  technical_service: z.strictObject({ serviceCode: text(32).optional(), category: text(100).optional() }),
  application: z.strictObject({ vendor: text(200).optional(), product: text(200).optional(), url: z.url().optional(), language: text(50).optional() }),
  server: z.strictObject({
    hostname: text(255).optional(),
    ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
    os: text(100).optional(),
    osVersion: text(100).optional(),
    cpuCount: z.number().int().positive().optional(),
    memoryGb: Size.optional(),
    manufacturer: text(100).optional(),
    model: text(100).optional(),
    serialNumber: text(100).optional(),
  }),
  virtual_machine: z.strictObject({
    hostname: text(255).optional(),
    ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
    os: text(100).optional(),
    cpuCount: z.number().int().positive().optional(),
    memoryGb: Size.optional(),
    hypervisor: text(100).optional(),
  }),
  database: z.strictObject({
    engine: text(100).optional(),
    engineVersion: text(50).optional(),
    instanceName: text(200).optional(),
    port: Port.optional(),
    sizeGb: Size.optional(),
  }),
  network_device: z.strictObject({
    hostname: text(255).optional(),
    ipAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
    deviceType: z.enum(['router', 'switch', 'firewall', 'load_balancer', 'wireless', 'other']).optional(),
    manufacturer: text(100).optional(),
    model: text(100).optional(),
    serialNumber: text(100).optional(),
    firmware: text(100).optional(),
  }),
  storage: z.strictObject({
    storageType: z.enum(['san', 'nas', 'object', 'block', 'other']).optional(),
    capacityGb: Size.optional(),
    manufacturer: text(100).optional(),
    model: text(100).optional(),
    serialNumber: text(100).optional(),
  }),
  middleware: z.strictObject({ product: text(200).optional(), vendor: text(200).optional(), port: Port.optional() }),
  cloud_resource: z.strictObject({
    provider: z.enum(['aws', 'azure', 'gcp', 'alibaba', 'tencent', 'other']).optional(),
    resourceType: text(200).optional(),
    resourceId: text(2048).optional().meta({ description: 'ARN or the provider’s id' }),
    region: text(50).optional(),
    accountId: text(100).optional(),
  }),
  generic: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), Scalar),
} as const satisfies Record<CiClass, z.ZodType>;

/**
 * Attributes a complete record of each class has (CMDB health counts CIs
 * missing any); validation does not demand them, so a CI can be recorded
 * before everything about it is known.
 */
export const EXPECTED_ATTRIBUTES: Readonly<Record<CiClass, readonly string[]>> = {
  business_service: ['ownerGroup', 'criticality', 'description', 'category', 'supportHours', 'slaTier'],
  technical_service: ['ownerGroup', 'criticality'],
  application: ['ownerGroup', 'environment', 'criticality'],
  server: ['ownerGroup', 'environment', 'location', 'hostname', 'ipAddress', 'os', 'serialNumber'],
  virtual_machine: ['ownerGroup', 'environment', 'hostname', 'ipAddress', 'os'],
  database: ['ownerGroup', 'environment', 'engine'],
  network_device: ['ownerGroup', 'location', 'hostname', 'ipAddress', 'serialNumber'],
  storage: ['ownerGroup', 'location', 'capacityGb'],
  middleware: ['ownerGroup', 'environment', 'product'],
  cloud_resource: ['ownerGroup', 'environment', 'provider', 'resourceId', 'region'],
  generic: ['ownerGroup'],
};

/** A weekly maintenance window in the CI's own time zone. */
export const MaintenanceWindow = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24 h'),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  timeZone: z.string().refine(isTimeZone, 'An IANA time zone, e.g. Asia/Shanghai'),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const CustomValues = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.union([Scalar, z.null()]));

/** The fields every CI has besides its class attributes; all editable. */
export const CiCommonFields = z.strictObject({
  name: text(200),
  status: z.enum(CI_STATUSES).exclude(['retired']).meta({ description: 'Retire with POST /cis/{id}/retire' }),
  ownerGroup: z.string().regex(SAFE_ID).nullable(),
  environment: z.enum(ENVIRONMENTS).nullable(),
  location: text(200).nullable(),
  criticality: z.enum(CRITICALITIES).nullable(),
  ciVersion: text(100).nullable().meta({ description: "The CI's own version (release, firmware, service version); `version` is the record's revision" }),
  maintenanceWindow: MaintenanceWindow.nullable(),
  description: text(10_000).nullable(),
  attributes: z.record(z.string(), z.unknown()).meta({ description: 'Class attributes (see GET /ci-classes)' }),
  custom: CustomValues.meta({ description: 'Tenant-defined attributes (see GET /settings/cmdb)' }),
});

/** A new CI: class and name required, everything else optional. */
export const NewCiInput = CiCommonFields.partial()
  .extend({
    class: z.enum(CI_CLASSES),
    name: text(200),
    externalId: text(256)
      .optional()
      .meta({ description: 'Id in the source system (discovery, import); the CI id is derived from it, so re-imports update the same CI' }),
  })
  .meta({ id: 'CreateCi' });
export type NewCiInput = z.infer<typeof NewCiInput>;

export const CiPatch = CiCommonFields.partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateCi' });
export type CiPatch = z.infer<typeof CiPatch>;

type Common = z.infer<typeof CiCommonFields>;

export interface Ci extends Omit<Common, 'status' | 'attributes' | 'custom'> {
  readonly id: string;
  readonly tenantId: string;
  readonly class: CiClass;
  readonly externalId: string | null;
  readonly status: CiStatus;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly custom: Readonly<Record<string, string | number | boolean | null>>;
  readonly retiredAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  /** Set when the last write came from a bulk import: which job and line. */
  readonly importedFrom: { readonly importId: string; readonly line: number } | null;
  readonly version: number;
}

export type CiEventType = 'CiCreated' | 'CiUpdated' | 'CiRetired';

export interface CiChange {
  readonly ci: Ci;
  readonly eventType: CiEventType;
  readonly action: 'create' | 'update' | 'retire' | 'import';
  readonly changes: readonly FieldChange[];
}

/** A tenant-defined attribute (CMDB settings). */
export interface CustomAttributeDefinition {
  readonly name: string;
  /** A class, or `*` for every class. */
  readonly class: CiClass | '*';
  readonly type: 'string' | 'number' | 'boolean' | 'date';
  /** Required attributes count as missing in CMDB health; they are not demanded on write. */
  readonly required: boolean;
}

/** What validation needs of the tenant's CMDB settings. */
export interface CiRules {
  readonly serviceCodePattern: string;
  readonly customAttributes: readonly CustomAttributeDefinition[];
}

/**
 * Ids of CIs with an external id are derived from it (SHA-256, 26 Crockford
 * base-32 characters, like a ULID): re-importing the same source record
 * addresses the same CI without a lookup, and two imports racing on one
 * external id write the same item. CIs without one get a ULID.
 */
export function ciIdForExternalId(externalId: string): string {
  const digest = createHash('sha256').update(externalId).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && id.length < 26) {
      id += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (id.length === 26) break;
  }
  return id;
}

/** Field errors of a CI's class attributes and custom attributes under the tenant's rules. */
export function validateCiContent(
  ciClass: CiClass,
  attributes: unknown,
  custom: Readonly<Record<string, unknown>>,
  rules: CiRules,
  prefix = 'body',
): {
  errors: FieldError[];
  attributes: Record<string, unknown>;
} {
  const errors: FieldError[] = [];
  const parsed = CLASS_ATTRIBUTES[ciClass].safeParse(attributes ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const base = [`${prefix}.attributes`, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys')
        errors.push(...issue.keys.map((key) => ({ field: `${base}.${key}`, message: `Not an attribute of class ${ciClass}` })));
      else errors.push({ field: base, message: issue.message });
    }
  }
  const values = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
  if (parsed.success && typeof values.serviceCode === 'string' && !serviceCodeMatches(values.serviceCode, rules.serviceCodePattern)) {
    errors.push({ field: `${prefix}.attributes.serviceCode`, message: `Does not match the tenant's service code pattern ${rules.serviceCodePattern}` });
  }
  for (const [name, value] of Object.entries(custom)) {
    const definition = rules.customAttributes.find((d) => d.name === name && (d.class === '*' || d.class === ciClass));
    if (!definition) errors.push({ field: `${prefix}.custom.${name}`, message: `No custom attribute ${name} is defined for class ${ciClass}` });
    else if (value !== null && !customValueFits(definition.type, value))
      errors.push({ field: `${prefix}.custom.${name}`, message: `Expected a ${definition.type}` });
  }
  return { errors, attributes: values };
}

function serviceCodeMatches(code: string, pattern: string): boolean {
  return matchesTenantPattern(pattern, code) && SAFE_ID.test(code);
}

function customValueFits(type: CustomAttributeDefinition['type'], value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** The service code of a business service, which must be unique in the tenant. */
export function serviceCodeOf(ci: Pick<Ci, 'class' | 'attributes'>): string | null {
  return ci.class === 'business_service' && typeof ci.attributes.serviceCode === 'string' ? ci.attributes.serviceCode : null;
}

export interface CiContext {
  readonly actor: Actor;
  readonly now: string;
  readonly rules: CiRules;
  readonly importedFrom?: { readonly importId: string; readonly line: number };
}

/** Content that does not fit the class or the tenant's rules is a 400 listing each field. */
function invalid(errors: FieldError[]): never {
  throw new ValidationError('The configuration item is not valid.', errors);
}

const COMMON_DEFAULTS = {
  status: 'planned' as CiStatus,
  ownerGroup: null,
  environment: null,
  location: null,
  criticality: null,
  ciVersion: null,
  maintenanceWindow: null,
  description: null,
};

/** A new CI (version 1) from validated input; throws a `ValidationError` (400, each field) when class or custom attributes do not fit. */
export function createCi(input: NewCiInput, id: string, ctx: CiContext, prefix = 'body'): CiChange {
  const { errors, attributes } = validateCiContent(input.class, input.attributes ?? {}, input.custom ?? {}, ctx.rules, prefix);
  if (errors.length > 0) invalid(errors);
  const ci: Ci = {
    id,
    tenantId: ctx.actor.tenantId,
    class: input.class,
    name: input.name,
    externalId: input.externalId ?? null,
    ...COMMON_DEFAULTS,
    ...definedOnly({
      status: input.status,
      ownerGroup: input.ownerGroup,
      environment: input.environment,
      location: input.location,
      criticality: input.criticality,
      ciVersion: input.ciVersion,
      maintenanceWindow: input.maintenanceWindow,
      description: input.description,
    }),
    attributes,
    custom: withoutNulls(input.custom ?? {}),
    retiredAt: null,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    importedFrom: ctx.importedFrom ?? null,
    version: 1,
  };
  return { ci, eventType: 'CiCreated', action: ctx.importedFrom ? 'import' : 'create', changes: diffCi(null, ci) };
}

/**
 * Applies a patch. `attributes` and `custom` are merged member by member
 * (a `null` value removes the member); the class cannot change. Returns
 * `null` when nothing would change.
 */
export function updateCi(current: Ci, patch: CiPatch, ctx: CiContext, prefix = 'body'): CiChange | null {
  if (current.status === 'retired') retired(current.id);
  // A null class attribute removes it, as a null custom value does.
  const attributes =
    patch.attributes === undefined
      ? current.attributes
      : Object.fromEntries(Object.entries({ ...current.attributes, ...patch.attributes }).filter(([, value]) => value !== null));
  const custom = patch.custom === undefined ? current.custom : withoutNulls({ ...current.custom, ...patch.custom });
  const { errors, attributes: checked } = validateCiContent(current.class, attributes, patch.custom ?? {}, ctx.rules, prefix);
  if (errors.length > 0) invalid(errors);
  const next: Ci = {
    ...current,
    ...definedOnly({ ...patch, attributes: undefined, custom: undefined }),
    attributes: checked,
    custom,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    importedFrom: ctx.importedFrom ?? null,
    version: current.version + 1,
  };
  const changes = diffCi(current, next);
  if (changes.length === 0) return null;
  return { ci: next, eventType: 'CiUpdated', action: ctx.importedFrom ? 'import' : 'update', changes };
}

/** Replaces the whole content (an import line describes the full record); `null` when nothing changes. */
export function replaceCi(current: Ci, input: NewCiInput, ctx: CiContext, prefix: string): CiChange | null {
  if (input.class !== current.class) invalid([{ field: `${prefix}.class`, message: `The CI is of class ${current.class}; a class cannot change` }]);
  const fresh = createCi(input, current.id, ctx, prefix).ci;
  const next: Ci = {
    ...fresh,
    createdAt: current.createdAt,
    createdBy: current.createdBy,
    version: current.version + 1,
    status: current.status === 'retired' ? 'retired' : fresh.status,
    retiredAt: current.retiredAt,
  };
  const changes = diffCi(current, next);
  if (changes.length === 0) return null;
  return { ci: next, eventType: 'CiUpdated', action: 'import', changes };
}

/** A retired CI stays (history, relationships), but no longer changes. */
export function retireCi(current: Ci, ctx: Pick<CiContext, 'actor' | 'now'>): CiChange {
  if (current.status === 'retired') retired(current.id);
  const next: Ci = {
    ...current,
    status: 'retired',
    retiredAt: ctx.now,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    importedFrom: null,
    version: current.version + 1,
  };
  return { ci: next, eventType: 'CiRetired', action: 'retire', changes: diffCi(current, next) };
}

/** Editing a retired CI conflicts with its state (409). */
function retired(ciId: string): never {
  throw new ConflictError(`CI ${ciId} is retired and can no longer change.`);
}

/** The fields that describe a CI besides its class and custom attributes, in the order answers and exports use. */
export const CI_DESCRIPTIVE_FIELDS = [
  'class',
  'name',
  'externalId',
  'status',
  'ownerGroup',
  'environment',
  'location',
  'criticality',
  'ciVersion',
  'maintenanceWindow',
  'description',
] as const satisfies readonly (keyof Ci)[];

/** What changed between two versions: one entry per common field, class attribute and custom attribute. */
export function diffCi(before: Ci | null, after: Ci): FieldChange[] {
  const changes: FieldChange[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  for (const field of CI_DESCRIPTIVE_FIELDS) {
    const from = before ? before[field] : null;
    if (!same(from, after[field])) changes.push({ field, from: from ?? null, to: after[field] ?? null });
  }
  for (const [group, label] of [
    ['attributes', 'attributes'],
    ['custom', 'custom'],
  ] as const) {
    const old = (before?.[group] ?? {}) as Record<string, unknown>;
    const now = after[group] as Record<string, unknown>;
    for (const name of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
      if (!same(old[name], now[name])) changes.push({ field: `${label}.${name}`, from: old[name] ?? null, to: now[name] ?? null });
    }
  }
  return changes;
}

/** Names of the expected fields and attributes a CI has a value for (kept in its index summary for CMDB health). */
export function filledAttributes(ci: Pick<Ci, 'attributes' | 'custom'> & Partial<Ci>): string[] {
  const present = (value: unknown) => value !== undefined && value !== null && value !== '';
  const common = ['ownerGroup', 'environment', 'location', 'criticality', 'ciVersion', 'maintenanceWindow', 'description'] as const;
  return [
    ...common.filter((name) => present(ci[name])),
    ...Object.keys(ci.attributes).filter((name) => present(ci.attributes[name])),
    ...Object.keys(ci.custom)
      .filter((name) => present(ci.custom[name]))
      .map((name) => `custom.${name}`),
  ];
}

/** Expected attributes (class, then tenant-required custom ones) missing from `filled`. */
export function missingAttributes(ciClass: CiClass, filled: readonly string[], customAttributes: readonly CustomAttributeDefinition[]): string[] {
  const has = new Set(filled);
  const required = customAttributes.filter((d) => d.required && (d.class === '*' || d.class === ciClass)).map((d) => `custom.${d.name}`);
  return [...EXPECTED_ATTRIBUTES[ciClass], ...required].filter((name) => !has.has(name));
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function withoutNulls(values: Readonly<Record<string, string | number | boolean | null>>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as Record<string, string | number | boolean>;
}
