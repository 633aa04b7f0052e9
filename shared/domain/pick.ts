/**
 * The named fields of a record, in the order named: how every practice
 * makes the summary its lists show and its queue indexes project.
 * @module
 */
export function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((field) => [field, record[field]])) as Pick<T, K>;
}
