/**
 * Bulk import, the pure half: every line of a JSON-lines file is parsed and
 * validated on its own, so one bad line is reported and never written,
 * while the good ones go on. A line is a CI (`kind: "ci"`, identified by
 * `externalId`, or by `id` to update an existing CI) or a relationship
 * (`kind: "relationship"`, its ends named by `id` or `externalId`).
 * The export writes the same lines, so an export imports back unchanged.
 * @module
 */
import * as z from 'zod';
import type { FieldError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { fieldErrors } from '#shared/http/request-validation.js';
import { type CiRules, ciIdForExternalId, NewCiInput, validateCiContent } from './ci.js';
import { type CanonicalRelationship, canonicalRelationship, RELATIONSHIP_TYPES } from './ci-relationship.js';

/** Lines per import request: well inside API Gateway's 29 s and Lambda's 6 MB request payload. */
export const MAX_IMPORT_LINES = 5_000;
/** Bytes per import request (Lambda takes at most 6 MB synchronously). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** A line longer than this is refused on its own. */
const MAX_LINE_BYTES = 64 * 1024;

const CiId = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');

export const ImportCiLine = NewCiInput.extend({ kind: z.literal('ci'), id: CiId.optional() });
const CiRef = z.union([z.strictObject({ id: CiId }), z.strictObject({ externalId: z.string().trim().min(1).max(256) })]);
export const ImportRelationshipLine = z.strictObject({ kind: z.literal('relationship'), from: CiRef, type: z.enum(RELATIONSHIP_TYPES), to: CiRef });
export const ImportLine = z.discriminatedUnion('kind', [ImportCiLine, ImportRelationshipLine]);
export type ImportCiLine = z.infer<typeof ImportCiLine>;

export type LineStatus = 'created' | 'updated' | 'unchanged' | 'added' | 'invalid' | 'conflict';

/** What happened to one line. */
export interface LineOutcome {
  readonly line: number;
  readonly kind: 'ci' | 'relationship' | null;
  readonly status: LineStatus;
  readonly ciId?: string;
  readonly errors?: readonly FieldError[];
}

export interface CiLine {
  readonly line: number;
  readonly ciId: string;
  /** The id was given and the external id was not: the CI must exist already. */
  readonly mustExist: boolean;
  readonly input: Omit<ImportCiLine, 'kind' | 'id'>;
}

export interface RelationshipLine {
  readonly line: number;
  readonly relationship: CanonicalRelationship;
}

/** The lines that passed validation, and the report of those that did not. */
export interface ParsedImport {
  readonly total: number;
  readonly cis: readonly CiLine[];
  readonly relationships: readonly RelationshipLine[];
  readonly invalid: readonly LineOutcome[];
}

const refId = (ref: z.infer<typeof CiRef>) => ('id' in ref ? ref.id : ciIdForExternalId(ref.externalId));

/** A valid line, or the errors of an invalid one. */
type Judgement = { readonly ci: CiLine } | { readonly relationship: RelationshipLine } | { readonly kind: LineOutcome['kind']; readonly errors: FieldError[] };

const lineKind = (json: unknown): LineOutcome['kind'] => {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  return kind === 'ci' || kind === 'relationship' ? kind : null;
};

/** Judges one line on its own (duplicates are the caller's business). */
function judgeLine(text: string, line: number, rules: CiRules): Judgement {
  if (Buffer.byteLength(text) > MAX_LINE_BYTES) return { kind: null, errors: [{ field: 'line', message: `Longer than ${MAX_LINE_BYTES} bytes` }] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: null, errors: [{ field: 'line', message: `Malformed JSON: ${(error as Error).message}` }] };
  }
  const parsed = ImportLine.safeParse(json);
  if (!parsed.success) return { kind: lineKind(json), errors: fieldErrors(parsed.error, 'line') };
  if (parsed.data.kind === 'relationship') {
    const relationship = canonicalRelationship(refId(parsed.data.from), parsed.data.type, refId(parsed.data.to));
    if (relationship.dependentId === relationship.dependencyId)
      return { kind: 'relationship', errors: [{ field: 'line.to', message: 'A CI cannot relate to itself' }] };
    return { relationship: { line, relationship } };
  }
  const { kind: _, id, ...input } = parsed.data;
  if (id === undefined && input.externalId === undefined) {
    return { kind: 'ci', errors: [{ field: 'line.externalId', message: 'Name the CI by externalId (or by id to update an existing CI)' }] };
  }
  const derived = input.externalId === undefined ? undefined : ciIdForExternalId(input.externalId);
  if (id !== undefined && derived !== undefined && id !== derived)
    return { kind: 'ci', errors: [{ field: 'line.id', message: 'The id does not belong to this externalId' }] };
  const { errors } = validateCiContent(input.class, input.attributes ?? {}, input.custom ?? {}, rules, 'line');
  if (errors.length > 0) return { kind: 'ci', errors };
  return { ci: { line, ciId: (id ?? derived) as string, mustExist: derived === undefined, input } };
}

/** Parses and validates every line (1-based numbers); blank lines are skipped; a CI or relationship repeated in the file is refused. */
export function parseImport(lines: readonly string[], rules: CiRules): ParsedImport {
  const cis: CiLine[] = [];
  const relationships: RelationshipLine[] = [];
  const invalid: LineOutcome[] = [];
  const firstLineOf = new Map<string, number>();
  let total = 0;
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    total += 1;
    const line = index + 1;
    const judgement = judgeLine(text, line, rules);
    if ('errors' in judgement) {
      invalid.push({ line, kind: judgement.kind, status: 'invalid', errors: judgement.errors });
      continue;
    }
    const [kind, key] =
      'ci' in judgement
        ? (['ci', judgement.ci.ciId] as const)
        : ([
            'relationship',
            `${judgement.relationship.relationship.dependentId}:${judgement.relationship.relationship.type}:${judgement.relationship.relationship.dependencyId}`,
          ] as const);
    const earlier = firstLineOf.get(key);
    if (earlier !== undefined) {
      invalid.push({
        line,
        kind,
        status: 'invalid',
        errors: [{ field: 'line', message: `The same ${kind === 'ci' ? 'CI' : 'relationship'} is on line ${earlier}` }],
      });
      continue;
    }
    firstLineOf.set(key, line);
    if ('ci' in judgement) cis.push(judgement.ci);
    else relationships.push(judgement.relationship);
  }
  return { total, cis, relationships, invalid };
}

/** The counts of a report. */
export function countOutcomes(outcomes: readonly LineOutcome[]): Record<LineStatus, number> {
  const counts: Record<LineStatus, number> = { created: 0, updated: 0, unchanged: 0, added: 0, invalid: 0, conflict: 0 };
  for (const outcome of outcomes) counts[outcome.status] += 1;
  return counts;
}
