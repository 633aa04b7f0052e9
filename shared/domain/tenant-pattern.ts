/**
 * Patterns a tenant supplies (the CMDB service-code pattern today) run on
 * RE2 semantics (`re2js`): matching takes time linear in the input, so no
 * pattern, however written, can make one tenant's request stall another's
 * (`^(A|A)+$` against `AAAA…!` backtracks exponentially in `RegExp`).
 * RE2 has no backreferences or lookaround; such patterns are refused when
 * saved.
 * @module
 */
import { RE2JS } from 're2js';

/** Compiled patterns, by source: settings are read on every CI write. */
const compiled = new Map<string, RE2JS>();
/** Bounds the cache: a tenant can only hold one pattern at a time, but many tenants share a container. */
const MAX_CACHED = 256;

function compile(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(pattern);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether `pattern` is a valid RE2 pattern. */
export function isTenantPattern(pattern: string): boolean {
  try {
    compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` contains a match of `pattern` (as `RegExp.prototype.test`), in linear time. */
export function matchesTenantPattern(pattern: string, text: string): boolean {
  return compile(pattern).matcher(text).find();
}
