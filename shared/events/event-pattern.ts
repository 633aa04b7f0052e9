/**
 * Amazon EventBridge event-pattern matching, in process. The local event bus
 * evaluates the same patterns the CDK rules deploy, so a rule routes an event
 * locally exactly when it would in AWS.
 *
 * The semantics follow the EventBridge user guide ("Amazon EventBridge event
 * patterns", "Content filtering", "Arrays in event patterns", "Matching null
 * values and empty strings"). Where the guide is silent they follow Event
 * Ruler, the AWS library EventBridge runs:
 * - a field is present when it holds a leaf value: a scalar, `null`, or a
 *   non-empty array of them. A nested object or an empty array is not a
 *   value, so only `{ exists: false }` matches there;
 * - an array of objects is matched element by element, so fields taken from
 *   two different elements never combine into one match;
 * - string filters (prefix, suffix, equals-ignore-case, wildcard, cidr) match
 *   strings only and `numeric` matches numbers only, while `anything-but`
 *   matches any present value it does not exclude, `null` included.
 * @module
 */

/** An EventBridge event pattern (content filtering syntax); the same type as in `rules.ts`. */
export type EventPattern = { readonly [field: string]: unknown };

type JsonObject = { readonly [field: string]: unknown };

const OR = '$or';

/** Every operator a filter object (`{ prefix: 'x' }`) may use. */
const FILTER_OPERATORS: ReadonlySet<string> = new Set(['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'wildcard', 'cidr']);

/** The operators `anything-but` accepts in its object form, each excluding strings only. */
const EXCLUSIONS: ReadonlySet<string> = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);

/**
 * Whether `event` (a full EventBridge envelope: version, id, detail-type,
 * source, account, time, region, resources, detail) matches `pattern`.
 * A malformed part of a pattern matches nothing, so check patterns with
 * {@link eventPatternProblems} when they are registered.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isObject(event) && matchesFields(pattern, event);
}

/**
 * Problems with a pattern (empty when valid), each naming the offending
 * path, so a subscription API can refuse a bad filter with 422 and tell the
 * caller what to fix. It mirrors the syntax checks EventBridge makes when a
 * rule is created (as documented, or as Event Ruler makes them), but not its
 * size, numeric-range or wildcard-complexity limits; and it refuses a `cidr`
 * with bits set after the prefix length as ambiguous.
 */
export function eventPatternProblems(pattern: unknown): string[] {
  if (!isObject(pattern)) return ['The pattern must be a JSON object.'];
  return objectProblems(pattern, '', false);
}

// ---------------------------------------------------------------- matching

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: inherited names such as `constructor` are not event fields. */
function fieldOf(object: JsonObject, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** The operator and argument of a filter object, or undefined unless it has exactly one key. */
function soleEntry(object: JsonObject): readonly [string, unknown] | undefined {
  const entries = Object.entries(object);
  return entries.length === 1 ? entries[0] : undefined;
}

/** Every key of the pattern level must match (AND); `$or` needs one of its branches to. */
function matchesFields(pattern: JsonObject, object: JsonObject): boolean {
  return Object.entries(pattern).every(([name, expected]) =>
    name === OR ? matchesSomeBranch(expected, object) : matchesField(expected, fieldOf(object, name)),
  );
}

/** Branches see the same object level as their siblings, so `$or` combines with them by AND. */
function matchesSomeBranch(branches: unknown, object: JsonObject): boolean {
  return Array.isArray(branches) && branches.some((branch) => isObject(branch) && matchesFields(branch, object));
}

function matchesField(expected: unknown, value: unknown): boolean {
  if (isObject(expected)) return matchesNested(expected, value);
  if (!Array.isArray(expected)) return false;
  const leaves = leafValues(value);
  return expected.some((matcher) => matchesMatcher(matcher, leaves));
}

/**
 * A nested pattern against a field. An array is matched one element at a
 * time (Event Ruler's array-consistent matching); anything that is not an
 * object has no fields, which only `exists: false` accepts.
 */
function matchesNested(pattern: JsonObject, value: unknown): boolean {
  if (!Array.isArray(value)) return matchesFields(pattern, isObject(value) ? value : {});
  const elements: unknown[] = value.flat(Number.POSITIVE_INFINITY);
  return elements.length === 0 ? matchesFields(pattern, {}) : elements.some((element) => matchesNested(pattern, element));
}

/** The values a leaf field holds: none when absent, an object, or an empty array (the field then does not exist). */
function leafValues(value: unknown): readonly unknown[] {
  if (value === undefined || isObject(value)) return [];
  if (!Array.isArray(value)) return [value];
  const flat: unknown[] = value.flat(Number.POSITIVE_INFINITY);
  return flat.filter((element) => !isObject(element));
}

/** One element of a pattern's value array against the field's leaves: it matches when any leaf does (OR). */
function matchesMatcher(matcher: unknown, leaves: readonly unknown[]): boolean {
  // Literals compare by type and value: 300 equals 300.0, but never "300"; null never equals a missing field.
  if (!isObject(matcher)) return leaves.some((leaf) => leaf === matcher);
  const filter = soleEntry(matcher);
  if (filter === undefined) return false;
  const [operator, argument] = filter;
  if (operator === 'exists') return typeof argument === 'boolean' && argument === leaves.length > 0;
  return leaves.some((leaf) => matchesFilter(operator, argument, leaf));
}

function matchesFilter(operator: string, argument: unknown, value: unknown): boolean {
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && matchesAffix(argument, value, startsWith);
    case 'suffix':
      return typeof value === 'string' && matchesAffix(argument, value, endsWith);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof argument === 'string' && equalsIgnoreCase(value, argument);
    case 'wildcard':
      return typeof value === 'string' && typeof argument === 'string' && matchesWildcard(argument, value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(argument, value);
    case 'cidr':
      return typeof value === 'string' && typeof argument === 'string' && matchesCidr(argument, value);
    case 'anything-but':
      return matchesAnythingBut(argument, value);
    default:
      return false;
  }
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

function equalsIgnoreCase(value: string, expected: string): boolean {
  return foldCase(value) === foldCase(expected);
}

function startsWith(value: string, prefix: string): boolean {
  return value.startsWith(prefix);
}

function endsWith(value: string, suffix: string): boolean {
  return value.endsWith(suffix);
}

/** `prefix`/`suffix` take a string, or `{ 'equals-ignore-case': string }` to ignore case. */
function matchesAffix(argument: unknown, value: string, test: (value: string, affix: string) => boolean): boolean {
  if (typeof argument === 'string') return test(value, argument);
  const ignoringCase = isObject(argument) ? soleEntry(argument) : undefined;
  return ignoringCase?.[0] === 'equals-ignore-case' && typeof ignoringCase[1] === 'string' && test(foldCase(value), foldCase(ignoringCase[1]));
}

/**
 * `anything-but` matches every present value it does not exclude. Literals
 * exclude only values of their own type (excluding 100 lets "100" through),
 * and the prefix/suffix/equals-ignore-case/wildcard forms exclude strings
 * only, so a number or null always passes them.
 */
function matchesAnythingBut(argument: unknown, value: unknown): boolean {
  if (Array.isArray(argument)) return !argument.includes(value);
  if (typeof argument === 'string' || typeof argument === 'number') return argument !== value;
  const exclusion = isObject(argument) ? soleEntry(argument) : undefined;
  if (exclusion === undefined) return false;
  const [operator, excluded] = exclusion;
  const list = stringList(excluded);
  if (list === undefined || !EXCLUSIONS.has(operator)) return false;
  return typeof value !== 'string' || !list.some((text) => excludes(operator, text, value));
}

/** A string or a list of strings as a list; undefined for anything else. */
function stringList(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function excludes(operator: string, text: string, value: string): boolean {
  if (operator === 'prefix') return value.startsWith(text);
  if (operator === 'suffix') return value.endsWith(text);
  if (operator === 'equals-ignore-case') return equalsIgnoreCase(value, text);
  return matchesWildcard(text, value);
}

// ----------------------------------------------------------------- numeric

type Comparison = '=' | '<' | '<=' | '>' | '>=';

const COMPARE: Readonly<Record<Comparison, (value: number, operand: number) => boolean>> = {
  '=': (value, operand) => value === operand,
  '<': (value, operand) => value < operand,
  '<=': (value, operand) => value <= operand,
  '>': (value, operand) => value > operand,
  '>=': (value, operand) => value >= operand,
};

interface NumericCondition {
  readonly comparison: Comparison;
  readonly operand: number;
}

function isComparison(value: unknown): value is Comparison {
  return typeof value === 'string' && Object.hasOwn(COMPARE, value);
}

/** `['>', 0, '<=', 5]` as conditions; undefined unless it is a non-empty list of operator/number pairs. */
function numericConditions(argument: unknown): readonly NumericCondition[] | undefined {
  if (!Array.isArray(argument) || argument.length === 0 || argument.length % 2 !== 0) return undefined;
  const conditions: NumericCondition[] = [];
  for (let index = 0; index < argument.length; index += 2) {
    const comparison: unknown = argument[index];
    const operand: unknown = argument[index + 1];
    if (!isComparison(comparison) || typeof operand !== 'number' || !Number.isFinite(operand)) return undefined;
    conditions.push({ comparison, operand });
  }
  return conditions;
}

function matchesNumeric(argument: unknown, value: number): boolean {
  const conditions = numericConditions(argument);
  return conditions?.every(({ comparison, operand }) => COMPARE[comparison](value, operand)) === true;
}

// ---------------------------------------------------------------- wildcard

/** `\\` and `\*` are escapes, a lone `\` is invalid, `*` is the wildcard, anything else is literal. */
const WILDCARD_TOKEN = /\\\\|\\\*|\\|\*|[^\\*]+/g;

/** The tokens of a wildcard, or undefined when it holds an invalid escape. */
function wildcardTokens(wildcard: string): readonly string[] | undefined {
  const tokens: readonly string[] = wildcard.match(WILDCARD_TOKEN) ?? [];
  return tokens.includes('\\') ? undefined : tokens;
}

/** The literal runs between wildcards: `a*b\*c` → `['a', 'b*c']`. */
function wildcardSegments(tokens: readonly string[]): readonly string[] {
  const segments = [''];
  for (const token of tokens) {
    if (token === '*') segments.push('');
    else segments[segments.length - 1] += token.startsWith('\\') ? token.slice(1) : token;
  }
  return segments;
}

/**
 * `*` stands for any run of characters, empty included. Matching the
 * literal runs left to right is exact for `*`-only globs and, unlike a
 * regular expression, cannot backtrack exponentially on a hostile value.
 */
function matchesWildcard(wildcard: string, value: string): boolean {
  const tokens = wildcardTokens(wildcard);
  if (tokens === undefined) return false;
  const segments = wildcardSegments(tokens);
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (const middle of segments.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found === -1 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}

// -------------------------------------------------------------------- cidr

interface IpAddress {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

interface CidrBlock extends IpAddress {
  readonly prefixLength: number;
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)) return undefined;
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** Eight hexadecimal groups, `::` standing for one or more zero groups; a dotted IPv4 tail counts as two. */
function parseIpv6(text: string): bigint | undefined {
  const groups = ipv6Groups(text);
  if (groups === undefined || groups.length !== 8 || !groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

function ipv6Groups(text: string): readonly string[] | undefined {
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  const ipv4 = tail.includes('.') ? parseIpv4(tail) : undefined;
  if (tail.includes('.') && ipv4 === undefined) return undefined;
  const expanded = ipv4 === undefined ? text : `${text.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
  const halves = expanded.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', rest] = halves;
  const headGroups = head === '' ? [] : head.split(':');
  if (rest === undefined) return headGroups;
  const restGroups = rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  return missing < 1 ? undefined : [...headGroups, ...Array<string>(missing).fill('0'), ...restGroups];
}

function parseIp(text: string): IpAddress | undefined {
  const value = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  if (value === undefined) return undefined;
  return { bits: text.includes(':') ? 128 : 32, value };
}

function parseCidr(text: string): CidrBlock | undefined {
  const parts = text.split('/');
  const [address = '', length = ''] = parts;
  const ip = parts.length === 2 && /^\d{1,3}$/.test(length) ? parseIp(address) : undefined;
  const prefixLength = Number(length);
  return ip !== undefined && prefixLength <= ip.bits ? { ...ip, prefixLength } : undefined;
}

function hostBits(block: CidrBlock): bigint {
  return block.value & ((1n << BigInt(block.bits - block.prefixLength)) - 1n);
}

/** The value is an address of the block's family whose first `prefixLength` bits equal the block's. */
function matchesCidr(cidr: string, value: string): boolean {
  const block = parseCidr(cidr);
  const ip = parseIp(value);
  if (block === undefined || ip === undefined || ip.bits !== block.bits) return false;
  const shift = BigInt(block.bits - block.prefixLength);
  return ip.value >> shift === block.value >> shift;
}

// -------------------------------------------------------------- validation

function pathOf(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function objectProblems(object: JsonObject, path: string, inOr: boolean): string[] {
  const entries = Object.entries(object);
  if (entries.length === 0) return [`${path === '' ? 'The pattern' : path} must not be an empty object.`];
  return entries.flatMap(([name, value]) => fieldProblems(name, value, pathOf(path, name), inOr));
}

function fieldProblems(name: string, value: unknown, path: string, inOr: boolean): string[] {
  if (name === OR) return orProblems(value, path);
  // EventBridge refuses operator names as fields inside $or, where they are almost always a misplaced filter.
  if (inOr && FILTER_OPERATORS.has(name)) return [`${path}: "${name}" is a filter operator, not a field; each $or branch must be a pattern.`];
  if (isObject(value)) return objectProblems(value, path, inOr);
  if (!Array.isArray(value)) return [`${path} must be an array of values or a nested pattern object.`];
  if (value.length === 0) return [`${path} must not be an empty array.`];
  return value.flatMap((matcher, index) => matcherProblems(matcher, `${path}[${index}]`));
}

function orProblems(branches: unknown, path: string): string[] {
  if (!Array.isArray(branches) || branches.length < 2) return [`${path} must be an array of at least two pattern objects.`];
  return branches.flatMap((branch, index) =>
    isObject(branch) ? objectProblems(branch, `${path}[${index}]`, true) : [`${path}[${index}] must be a pattern object.`],
  );
}

function matcherProblems(matcher: unknown, path: string): string[] {
  if (matcher === null || typeof matcher === 'string' || typeof matcher === 'boolean') return [];
  if (typeof matcher === 'number') return Number.isFinite(matcher) ? [] : [`${path} must be a finite number.`];
  if (!isObject(matcher)) return [`${path} must be a string, number, boolean, null or a filter object.`];
  const filter = soleEntry(matcher);
  if (filter === undefined) return [`${path} must be a filter object with exactly one operator.`];
  const [operator, argument] = filter;
  const problem = filterProblem(operator, argument);
  return problem === undefined ? [] : [`${path}: ${problem}`];
}

/** The problem with a filter's operator or argument, or undefined when it is well-formed. */
function filterProblem(operator: string, argument: unknown): string | undefined {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return affixProblem(operator, argument);
    case 'equals-ignore-case':
      return typeof argument === 'string' ? undefined : 'equals-ignore-case must be a string.';
    case 'wildcard':
      return wildcardProblem(argument);
    case 'numeric':
      return numericProblem(argument);
    case 'cidr':
      return cidrProblem(argument);
    case 'exists':
      return typeof argument === 'boolean' ? undefined : 'exists must be true or false.';
    case 'anything-but':
      return anythingButProblem(argument);
    default:
      return `unknown filter operator "${operator}".`;
  }
}

function affixProblem(operator: string, argument: unknown): string | undefined {
  if (typeof argument === 'string') return undefined;
  const ignoringCase = isObject(argument) ? soleEntry(argument) : undefined;
  if (ignoringCase?.[0] === 'equals-ignore-case' && typeof ignoringCase[1] === 'string') return undefined;
  return `${operator} must be a string or { "equals-ignore-case": string }.`;
}

function wildcardProblem(argument: unknown): string | undefined {
  if (typeof argument !== 'string') return 'wildcard must be a string.';
  const tokens = wildcardTokens(argument);
  if (tokens === undefined) return 'wildcard may escape only * and \\ with a backslash.';
  return tokens.some((token, index) => token === '*' && tokens[index + 1] === '*') ? 'wildcard must not have consecutive * characters.' : undefined;
}

/** One condition, or a lower bound (`>`/`>=`) followed by a higher upper bound (`<`/`<=`). */
function numericProblem(argument: unknown): string | undefined {
  const conditions = numericConditions(argument);
  if (conditions === undefined) return 'numeric must list operator (=, <, <=, >, >=) and number pairs, such as [">", 0, "<=", 5].';
  const [lower, upper, ...rest] = conditions;
  if (lower === undefined || upper === undefined) return undefined;
  const isRange = rest.length === 0 && (lower.comparison === '>' || lower.comparison === '>=') && (upper.comparison === '<' || upper.comparison === '<=');
  if (!isRange) return 'numeric takes one condition, or a lower bound (> or >=) followed by an upper bound (< or <=).';
  return lower.operand < upper.operand ? undefined : 'numeric lower bound must be below its upper bound.';
}

function cidrProblem(argument: unknown): string | undefined {
  if (typeof argument !== 'string') return 'cidr must be a string such as "10.0.0.0/24".';
  const block = parseCidr(argument);
  if (block === undefined) return `cidr "${argument}" must be an IPv4 or IPv6 address with a prefix length, such as "10.0.0.0/24".`;
  // EventBridge reads such a block from the given address, not from its network; refuse it rather than guess.
  return hostBits(block) === 0n ? undefined : `cidr "${argument}" has bits set after the prefix length; give the network address.`;
}

function anythingButProblem(argument: unknown): string | undefined {
  if (typeof argument === 'string' || (typeof argument === 'number' && Number.isFinite(argument))) return undefined;
  if (Array.isArray(argument)) return anythingButListProblem(argument);
  const exclusion = isObject(argument) ? soleEntry(argument) : undefined;
  if (exclusion === undefined || !EXCLUSIONS.has(exclusion[0])) {
    return 'anything-but must be a string, a number, a list of either, or one of prefix, suffix, equals-ignore-case, wildcard.';
  }
  return exclusionProblem(exclusion[0], exclusion[1]);
}

function anythingButListProblem(list: readonly unknown[]): string | undefined {
  if (list.length === 0) return 'anything-but must not be an empty list.';
  const allStrings = list.every((item) => typeof item === 'string');
  const allNumbers = list.every((item) => typeof item === 'number' && Number.isFinite(item));
  return allStrings || allNumbers ? undefined : 'anything-but must list only strings or only numbers.';
}

function exclusionProblem(operator: string, excluded: unknown): string | undefined {
  const list = stringList(excluded);
  if (list === undefined || list.length === 0) return `anything-but ${operator} must be a string or a non-empty list of strings.`;
  if ((operator === 'prefix' || operator === 'suffix') && list.includes('')) return `anything-but ${operator} must not be empty.`;
  if (operator !== 'wildcard') return undefined;
  return list.map(wildcardProblem).find((problem) => problem !== undefined);
}
