/**
 * Typed relationships between CIs. Each type has a name read from either
 * end (`depends on` / `used by`); every relationship is stored in its
 * canonical direction, **dependent → dependency**, so that "what does a
 * failure of X impact" always follows the same edges (inbound ones) and
 * "what can X's trouble come from" the outbound ones, whatever the type.
 * `part of` is stored as its inverse `contains` for that reason: a whole
 * depends on its parts.
 * @module
 */

/** The stored (canonical) types, each read from the dependent's side. */
export const CANONICAL_RELATIONSHIP_TYPES = ['depends_on', 'runs_on', 'contains', 'connects_to'] as const;
export type CanonicalRelationshipType = (typeof CANONICAL_RELATIONSHIP_TYPES)[number];

/** Every name a caller may use: the canonical one and its inverse. */
export const RELATIONSHIP_TYPES = ['depends_on', 'used_by', 'runs_on', 'hosts', 'contains', 'part_of', 'connects_to', 'connected_by'] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** The name of a canonical type read from the dependency's side. */
export const INVERSE_NAME: Readonly<Record<CanonicalRelationshipType, RelationshipType>> = {
  depends_on: 'used_by',
  runs_on: 'hosts',
  contains: 'part_of',
  connects_to: 'connected_by',
};

const INVERTED: Readonly<Record<RelationshipType, CanonicalRelationshipType | null>> = {
  depends_on: null,
  runs_on: null,
  contains: null,
  connects_to: null,
  used_by: 'depends_on',
  hosts: 'runs_on',
  part_of: 'contains',
  connected_by: 'connects_to',
};

/** A relationship in its stored form: `dependentId` —type→ `dependencyId`. */
export interface CanonicalRelationship {
  readonly type: CanonicalRelationshipType;
  readonly dependentId: string;
  readonly dependencyId: string;
}

/** `from —type→ to` as the caller said it, turned into the stored direction. */
export function canonicalRelationship(fromId: string, type: RelationshipType, toId: string): CanonicalRelationship {
  const inverse = INVERTED[type];
  return inverse === null
    ? { type: type as CanonicalRelationshipType, dependentId: fromId, dependencyId: toId }
    : { type: inverse, dependentId: toId, dependencyId: fromId };
}

/** One relationship as seen from one CI: the name reads "<this CI> <type> <otherId>". */
export interface RelationshipView {
  readonly type: RelationshipType;
  readonly otherId: string;
  /** `outbound`: this CI is the dependent; `inbound`: it is the dependency. */
  readonly direction: 'outbound' | 'inbound';
}

export function viewFrom(ciId: string, relationship: CanonicalRelationship): RelationshipView {
  return ciId === relationship.dependentId
    ? { type: relationship.type, otherId: relationship.dependencyId, direction: 'outbound' }
    : { type: INVERSE_NAME[relationship.type], otherId: relationship.dependentId, direction: 'inbound' };
}
