/**
 * Configuration from the environment the stack (or the local runtime) sets.
 * @module
 */

/** The variable's value; a missing one is a deployment fault, so it throws. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
