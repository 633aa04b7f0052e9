/**
 * What every domain rule's outcome says beside the record it leaves: the
 * action taken, the event that announces it, the changed fields and the
 * facts. The data layer makes the audit entry and the event from it
 * (`shared/data/record-store.ts`), so every practice's outcome has this
 * one shape.
 * @module
 */

/** One changed field in an audit entry. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** The outcome of a rule, minus the record (each practice names its record member). */
export interface RecordChange<E extends string, A extends string = string> {
  readonly action: A;
  readonly eventType: E;
  readonly changes: readonly FieldChange[];
  /** Facts worth carrying in the event and audit beyond the field diff. */
  readonly facts: Readonly<Record<string, unknown>>;
}
