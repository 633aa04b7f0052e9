/**
 * Request and response schemas of the CMDB and service catalogue API.
 * @module
 */
import * as z from 'zod';
import { CATALOGUE_STATUSES, CI_CLASSES, CI_STATUSES, CiPatch, CRITICALITIES, ENVIRONMENTS, MaintenanceWindow, NewCiInput } from '#shared/domain/cmdb/ci.js';
import { MAX_IMPORT_LINES } from '#shared/domain/cmdb/ci-import.js';
import { RELATIONSHIP_TYPES } from '#shared/domain/cmdb/ci-relationship.js';
import { CmdbSettings } from '#shared/domain/cmdb/cmdb-settings.js';
import { IMPACT_DIRECTIONS } from '#shared/domain/cmdb/impact.js';
import { Identifier, PageCursor, PageLimit, PageQuery, pageOf } from '#shared/http/common-schemas.js';

/** CI ids are ULIDs, or derived from an external id in the same alphabet. */
const CiId = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)
  .meta({ description: 'CI id (26 characters, Crockford base 32)', example: '01KAZC1M4V7B2N8X5Q3W9E6R0T' });

export const CiIdParams = z.strictObject({ id: CiId });
export const RelationshipParams = z.strictObject({ id: CiId, type: z.enum(RELATIONSHIP_TYPES), otherId: CiId });
export const ServiceCodeParams = z.strictObject({ code: Identifier });

export const CreateCiBody = NewCiInput;
export const UpdateCiBody = CiPatch;

export const ListCisQuery = z
  .strictObject({ class: z.enum(CI_CLASSES).optional(), ownerGroup: Identifier.optional(), limit: PageLimit, cursor: PageCursor })
  .refine((query) => !(query.class && query.ownerGroup), { message: 'Choose one list: class or ownerGroup' });

export const AddRelationshipBody = z
  .strictObject({
    type: z.enum(RELATIONSHIP_TYPES).meta({ description: 'Read as "<this CI> <type> <targetId>", e.g. app runs_on vm' }),
    targetId: CiId,
  })
  .meta({ id: 'AddCiRelationship' });

export const ImpactQuery = z.strictObject({
  direction: z.enum(IMPACT_DIRECTIONS).default('upstream').meta({ description: 'upstream: what a failure of this CI affects; downstream: what it depends on' }),
  depth: z.coerce.number().int().min(1).max(10).default(3),
  maxNodes: z.coerce.number().int().min(1).max(2_000).default(500),
});

export const ImportQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({ description: 'Validate and report, write nothing' }),
});
export const ImportBody = z
  .array(z.string())
  .max(MAX_IMPORT_LINES, `At most ${MAX_IMPORT_LINES} lines per request`)
  // An empty body is a mistake (a file that is not there, a variable never set), not an import of nothing: answering 200 with 0 lines hid it.
  .refine((lines) => lines.some((line) => line.trim() !== ''), 'The body holds no line: send one JSON document per line')
  .meta({
    description: `JSON lines: {"kind":"ci",...} or {"kind":"relationship","from":{"externalId":…},"type":"runs_on","to":{…}}; at most ${MAX_IMPORT_LINES} lines`,
  });

export const ExportQuery = z.strictObject({
  kind: z.enum(['cis', 'relationships']).default('cis'),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
  cursor: PageCursor,
});

export const ServicesQuery = z.strictObject({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .meta({ description: 'Staff only: include services in the pipeline or retired from the catalogue' }),
  limit: PageLimit,
  cursor: PageCursor,
});

export const HistoryQuery = PageQuery;
export const CmdbSettingsBody = z.strictObject({ settings: CmdbSettings }).meta({ id: 'PutCmdbSettings' });

const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });

const IncidentOnCi = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  priority: z.number().int(),
  status: z.string(),
  assignmentGroup: z.string().nullable(),
  ciId: z.string().nullable(),
});
const ScheduledChange = z.object({
  changeId: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  plannedStart: Timestamp,
  plannedEnd: Timestamp,
  ciIds: z.array(z.string()),
});

export const CiResource = z
  .object({
    id: z.string(),
    class: z.enum(CI_CLASSES),
    name: z.string(),
    externalId: z.string().nullable(),
    status: z.enum(CI_STATUSES),
    ownerGroup: z.string().nullable(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    location: z.string().nullable(),
    criticality: z.enum(CRITICALITIES).nullable(),
    ciVersion: z.string().nullable(),
    maintenanceWindow: MaintenanceWindow.nullable(),
    description: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    custom: z.record(z.string(), z.unknown()),
    retiredAt: Timestamp.nullable(),
    importedFrom: z.object({ importId: z.string(), line: z.number().int() }).nullable(),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    version: z.number().int().meta({ description: 'Also sent as the ETag; send it back in If-Match' }),
  })
  .meta({ id: 'Ci' });

export const CiDetailResource = CiResource.extend({
  openIncidents: z.array(IncidentOnCi).meta({ description: 'Open incidents that name this CI, most urgent first' }),
  scheduledChanges: z.array(ScheduledChange).meta({ description: 'Changes scheduled on this CI (empty until the change practice ships)' }),
}).meta({ id: 'CiDetail' });

export const CiSummaryResource = z
  .object({
    id: z.string(),
    class: z.enum(CI_CLASSES),
    name: z.string(),
    status: z.enum(CI_STATUSES),
    ownerGroup: z.string().nullable(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    criticality: z.enum(CRITICALITIES).nullable(),
    serviceCode: z.string().nullable(),
    externalId: z.string().nullable(),
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'CiSummary' });
export const CiPage = pageOf(CiSummaryResource, 'CiPage');

export const RelationshipResource = z
  .object({
    type: z.enum(RELATIONSHIP_TYPES).meta({ description: 'Read as "<this CI> <type> <otherId>"' }),
    otherId: z.string(),
    direction: z.enum(['outbound', 'inbound']).meta({ description: 'outbound: this CI depends on the other; inbound: the other depends on it' }),
  })
  .meta({ id: 'CiRelationship' });
export const RelationshipPage = pageOf(RelationshipResource, 'CiRelationshipPage');

export const ImpactResource = z
  .object({
    origin: CiSummaryResource,
    direction: z.enum(IMPACT_DIRECTIONS),
    depth: z.number().int(),
    maxNodes: z.number().int(),
    impacted: z.array(
      CiSummaryResource.extend({
        depth: z.number().int(),
        path: z.array(z.object({ ciId: z.string(), relationship: z.enum(RELATIONSHIP_TYPES) })).meta({
          description: 'From the origin to this CI; each step reads "<ciId> <relationship> <previous CI>"',
        }),
      }),
    ),
    businessServices: z.array(z.string()).meta({ description: 'Ids of the impacted CIs that are business services' }),
    openIncidents: z.array(IncidentOnCi).meta({ description: 'Open incidents on the origin or any impacted CI' }),
    scheduledChanges: z.array(ScheduledChange),
    truncated: z.object({ nodeLimit: z.boolean() }),
    cost: z
      .object({ rounds: z.number().int(), ciQueries: z.number().int(), batchGets: z.number().int(), incidentQueries: z.number().int() })
      .meta({ description: 'DynamoDB requests this answer took: graph levels read, Queries for edges, BatchGetItem calls, incident Queries' }),
  })
  .meta({ id: 'CiImpact' });

export const HistoryEntryResource = z
  .object({
    auditId: z.string(),
    recordType: z.string(),
    action: z.string(),
    version: z.number().int(),
    actorId: z.string(),
    at: Timestamp,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    facts: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CiHistoryEntry' });
export const CiHistoryPage = pageOf(HistoryEntryResource, 'CiHistoryPage');

export const ImportReport = z
  .object({
    importId: z.string(),
    dryRun: z.boolean(),
    counts: z.object({
      lines: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      added: z.number().int(),
      invalid: z.number().int(),
      conflict: z.number().int(),
    }),
    lines: z.array(
      z.object({
        line: z.number().int(),
        kind: z.enum(['ci', 'relationship']).nullable(),
        status: z.enum(['created', 'updated', 'unchanged', 'added', 'invalid', 'conflict']),
        ciId: z.string().optional(),
        errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      }),
    ),
  })
  .meta({ id: 'CiImportReport' });

export const ServiceResource = z
  .object({
    id: z.string(),
    serviceCode: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    description: z.string().nullable(),
    ownerGroup: z.string().nullable(),
    supportHours: z.string().nullable(),
    slaTier: z.string().nullable(),
    catalogueStatus: z.enum(CATALOGUE_STATUSES),
    status: z.enum(CI_STATUSES),
    criticality: z.enum(CRITICALITIES).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Service' });
export const ServicePage = pageOf(ServiceResource, 'ServicePage');

const Figure = z.object({ count: z.number().int(), percent: z.number(), sample: z.array(z.string()) });
export const HealthResource = z
  .object({
    cis: z.number().int(),
    retired: z.number().int(),
    relationships: z.number().int(),
    byClass: z.record(z.string(), z.number().int()),
    missingAttributes: Figure.extend({ byAttribute: z.record(z.string(), z.number().int()) }),
    orphans: Figure,
    stale: Figure.extend({ staleAfterDays: z.number().int(), before: Timestamp }),
    healthyPercent: z.number(),
    measuredAt: Timestamp,
  })
  .meta({ id: 'CmdbHealth' });

export const CmdbSettingsResource = z
  .object({ settings: CmdbSettings, version: z.number().int(), updatedAt: Timestamp.nullable(), updatedBy: z.string().nullable() })
  .meta({ id: 'CmdbSettingsResource' });

export const CiClassesResource = z.object({
  classes: z.array(z.object({ class: z.enum(CI_CLASSES), attributes: z.record(z.string(), z.unknown()), expected: z.array(z.string()) })),
  relationshipTypes: z.array(z.object({ type: z.enum(RELATIONSHIP_TYPES), inverse: z.enum(RELATIONSHIP_TYPES) })),
});
