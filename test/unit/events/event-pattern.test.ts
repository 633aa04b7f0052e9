import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventPattern, eventPatternProblems, matchesEventPattern } from '#shared/events/event-pattern.js';

/**
 * Case names cite the section of the EventBridge user guide an example comes
 * from: [Patterns] "Amazon EventBridge event patterns", [Null] "Matching null
 * values and empty strings", [Arrays] "Arrays in event patterns", and the
 * sections of "Content filtering" by name. [Ruler] marks behaviour the guide
 * leaves open, taken from AWS Event Ruler (the library EventBridge runs) and
 * LocalStack's AWS-verified pattern fixtures.
 */
interface MatchCase {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly event: unknown;
  readonly matches: boolean;
}

function match(name: string, pattern: EventPattern, event: unknown): MatchCase {
  return { name, pattern, event, matches: true };
}

function miss(name: string, pattern: EventPattern, event: unknown): MatchCase {
  return { name, pattern, event, matches: false };
}

/** The EC2 state-change event of [Patterns], with `detail` and top-level fields replaced. */
function ec2Event(detail: unknown, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
    ...overrides,
  };
}

/** An incident event as the outbox publishes it; `detail` overrides the defaults. */
function incidentEvent(detailType: string, detail: Readonly<Record<string, unknown>> = {}, source = 'itsm.incidents'): Record<string, unknown> {
  return ec2Event(
    {
      eventId: '01J9ZQ4T8Y5W2K3M6N7P8Q9R0S',
      tenantId: 'acme',
      occurredAt: '2025-03-04T10:00:00.000Z',
      actor: { userId: 'u-1', roles: ['agent'] },
      incidentId: 'inc-1',
      number: 'INC0001001',
      version: 1,
      status: 'New',
      priority: 1,
      assignmentGroup: 'network',
      assigneeId: null,
      majorIncident: false,
      changes: [],
      facts: {},
      ...detail,
    },
    { source, 'detail-type': detailType, account: '123456789012', region: 'eu-west-1', resources: [] },
  );
}

const EC2_TERMINATED: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

const BASICS: readonly MatchCase[] = [
  match('[Patterns] the EC2 instance-termination example', EC2_TERMINATED, ec2Event({ 'instance-id': 'i-1', state: 'terminated' })),
  miss('[Patterns] the EC2 example with another state', EC2_TERMINATED, ec2Event({ 'instance-id': 'i-1', state: 'running' })),
  match('[Patterns] fields the pattern does not name are ignored', { source: ['aws.ec2'] }, ec2Event({ anything: 'at all' })),
  miss('[Patterns] every field the pattern names must be in the event', { source: ['aws.ec2'], 'detail-type': ['x'] }, { source: 'aws.ec2' }),
  miss('[Patterns] a field must sit at the same nesting', { detail: { state: ['terminated'] } }, ec2Event({}, { state: 'terminated' })),
  match('[Patterns] Match values: any value of the array (aws.fargate)', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event({}, { source: 'aws.fargate' })),
  miss('[Patterns] Match values: none of the values', { source: ['aws.ec2', 'aws.fargate'] }, ec2Event({}, { source: 'aws.s3' })),
  match(
    '[Patterns] Value matching: Macie risk-score 80 and nested trigger.risk 8',
    { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    ec2Event({ 'risk-score': 80, trigger: { 'alert-type': 'basic', risk: 8 } }, { source: 'aws.macie' }),
  ),
  miss(
    '[Patterns] Value matching: Macie trigger.risk 7',
    { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    ec2Event({ 'risk-score': 80, trigger: { risk: 7 } }, { source: 'aws.macie' }),
  ),
  miss('[Patterns] strings match character by character, without case folding', EC2_TERMINATED, ec2Event({ state: 'Terminated' })),
  match('[Ruler] the number 300 matches 300.0', { detail: { 'x-limit': [300] } }, JSON.parse('{"detail":{"x-limit":300.0}}')),
  match('[Ruler] the number 300 matches 3.0e2', { detail: { 'x-limit': [300] } }, JSON.parse('{"detail":{"x-limit":3.0e2}}')),
  miss('[Ruler] the number 300 does not match the string "300"', { detail: { 'x-limit': [300] } }, ec2Event({ 'x-limit': '300' })),
  match('[Patterns] the keyword true matches true', { detail: { enabled: [true] } }, ec2Event({ enabled: true })),
  miss('[Patterns] the keyword true does not match the string "true"', { detail: { enabled: [true] } }, ec2Event({ enabled: 'true' })),
  miss('[Patterns] the keyword false does not match 0', { detail: { enabled: [false] } }, ec2Event({ enabled: 0 })),
  miss('a pattern field cannot reach an inherited property (constructor)', { constructor: [{ exists: true }] }, ec2Event({})),
  match('an inherited property name is absent (toString, exists false)', { detail: { toString: [{ exists: false }] } }, ec2Event({})),
  miss('an event that is not an object matches nothing', { source: [{ exists: false }] }, 'aws.ec2'),
  miss('an event that is an array matches nothing', { source: [{ exists: false }] }, [ec2Event({})]),
];

const NULLS_AND_ARRAYS: readonly MatchCase[] = [
  match('[Null] [null] matches a null value', { detail: { responseElements: [null] } }, ec2Event({ eventVersion: '', responseElements: null })),
  miss('[Null] [null] does not match a missing field', { detail: { responseElements: [null] } }, ec2Event({ eventVersion: '' })),
  match('[Null] [""] matches an empty string', { detail: { eventVersion: [''] } }, ec2Event({ eventVersion: '', responseElements: null })),
  miss('[Null] [""] does not match null (not interchangeable)', { detail: { responseElements: [''] } }, ec2Event({ responseElements: null })),
  miss('[Null] [null] does not match an empty string', { detail: { eventVersion: [null] } }, ec2Event({ eventVersion: '' })),
  match(
    '[Arrays] the resources example: the intersection is non-empty',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    ec2Event(
      {},
      {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
    ),
  ),
  miss(
    '[Arrays] the intersection is empty',
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    ec2Event({}, { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-00000000'] }),
  ),
  miss('[Ruler] an empty event array holds no value, not even null', { resources: [null] }, ec2Event({}, { resources: [] })),
  match('[Ruler] nested event arrays are flattened', { detail: { tags: ['b'] } }, ec2Event({ tags: [['a'], ['b', 'c']] })),
  match('[Ruler] an array may mix value types', { detail: { codes: [404] } }, ec2Event({ codes: ['x', 404, null] })),
  match(
    '[Ruler] a nested pattern matches an element of an array of objects',
    { detail: { employees: { firstName: ['Anna'] } } },
    ec2Event({ employees: [{ firstName: 'John' }, { firstName: 'Anna', lastName: 'Smith' }] }),
  ),
  miss(
    '[Ruler] fields from two different array elements do not combine',
    { detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } },
    ec2Event({
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    }),
  ),
  match(
    '[Ruler] fields from one array element combine',
    { detail: { employees: { firstName: ['Peter'], lastName: ['Jones'] } } },
    ec2Event({ employees: [[{ firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] }),
  ),
  miss('[Ruler] a literal does not match a nested object', { detail: { state: ['running'] } }, ec2Event({ state: { name: 'running' } })),
];

const STRING_FILTERS: readonly MatchCase[] = [
  match('[Prefix matching] time starts with 2017-10-02', { time: [{ prefix: '2017-10-02' }] }, ec2Event({}, { time: '2017-10-02T18:43:48Z' })),
  miss('[Prefix matching] time starts otherwise', { time: [{ prefix: '2017-10-02' }] }, ec2Event({}, { time: '2017-12-22T18:43:48Z' })),
  miss('[Prefix matching] is for strings only', { detail: { code: [{ prefix: '12' }] } }, ec2Event({ code: 123 })),
  match('[Prefix matching] the empty prefix matches any string', { detail: { code: [{ prefix: '' }] } }, ec2Event({ code: 'x' })),
  match(
    '[Prefix matching while ignoring case] EventB matches eventbridge',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    ec2Event({ service: 'eventbridge' }),
  ),
  miss(
    '[Prefix matching while ignoring case] EventB does not match bridge',
    { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    ec2Event({ service: 'bridge' }),
  ),
  match('[Suffix matching] FileName ends with .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }),
  miss('[Suffix matching] FileName ends with .jpg', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }),
  miss('[Suffix matching] is case sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'IMAGE.PNG' }),
  match(
    '[Suffix matching while ignoring case] .png matches IMAGE.PNG',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    ec2Event({ FileName: 'IMAGE.PNG' }),
  ),
  miss(
    '[Suffix matching while ignoring case] .png does not match image.gif',
    { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    ec2Event({ FileName: 'image.gif' }),
  ),
  match('[Equals-ignore-case matching] alice matches ALICE', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }),
  miss('[Equals-ignore-case matching] alice does not match Alicia', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' }),
  match('[Ruler] equals-ignore-case "" matches ""', { detail: { value: [{ 'equals-ignore-case': '' }] } }, ec2Event({ value: '' })),
  miss('[Equals-ignore-case matching] is for strings only', { detail: { code: [{ 'equals-ignore-case': '1' }] } }, ec2Event({ code: 1 })),
  match('[Wildcard matching] dir/*.png matches dir/image.png', { FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/image.png' }),
  match('[Wildcard matching] * also spans slashes', { FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/sub/image.png' }),
  miss('[Wildcard matching] dir/*.png does not match other/image.png', { FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'other/image.png' }),
  match('[Wildcard matching] * matches the empty run', { FilePath: [{ wildcard: 'dir/*.png' }] }, { FilePath: 'dir/.png' }),
  match(
    '[Wildcard matching] several wildcards: arn:aws:events:us-east-1:*:event-bus/*',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' },
  ),
  miss(
    '[Wildcard matching] several wildcards in the wrong region',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/myEventBus' },
  ),
  miss(
    '[Wildcard matching] the literal tail must end the value',
    { FileName: [{ wildcard: '/Users/*/doc.txt' }] },
    { FileName: '/Users/ls_user/dir/notmatchingdoc.txt.bak' },
  ),
  match('[Wildcard matching] a middle run cannot overlap the tail', { v: [{ wildcard: '*ab*ab' }] }, { v: 'xabab' }),
  miss('[Wildcard matching] a middle run needs its own characters', { v: [{ wildcard: 'a*ab*ba' }] }, { v: 'aaba' }),
  match('[Wildcard matching] \\* is a literal star', { v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' }),
  miss('[Wildcard matching] \\* is not a wildcard', { v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' }),
  match('[Wildcard matching] \\\\ is a literal backslash', { v: [{ wildcard: 'a\\\\*' }] }, { v: 'a\\bc' }),
  match('[Wildcard matching] without a star it is equality', { v: [{ wildcard: 'exact' }] }, { v: 'exact' }),
  miss('[Wildcard matching] is for strings only', { v: [{ wildcard: '1*' }] }, { v: 12 }),
];

const ANYTHING_BUT: readonly MatchCase[] = [
  match(
    '[Anything-but matching] state anything-but initializing: running',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    ec2Event({ state: 'running' }),
  ),
  miss(
    '[Anything-but matching] state anything-but initializing: initializing',
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    ec2Event({ state: 'initializing' }),
  ),
  miss('[Ruler] anything-but does not match a missing field', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event({})),
  match('[Ruler] anything-but matches a null value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event({ state: null })),
  miss('[Ruler] anything-but does not match a nested object', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event({ state: { a: 1 } })),
  match('[Anything-but matching] x-limit anything-but 123: 456', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event({ 'x-limit': 456 })),
  miss(
    '[Anything-but matching] x-limit anything-but 123: 123.0',
    { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    JSON.parse('{"detail":{"x-limit":123.0}}'),
  ),
  match('[Ruler] anything-but 123 lets the string "123" through', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event({ 'x-limit': '123' })),
  match('[Ruler] anything-but 0 matches 789', { detail: { 'x-limit': [{ 'anything-but': 0 }] } }, ec2Event({ 'x-limit': 789 })),
  match(
    '[Anything-but matching] list of strings: running',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2Event({ state: 'running' }),
  ),
  miss(
    '[Anything-but matching] list of strings: overloaded',
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    ec2Event({ state: 'overloaded' }),
  ),
  miss('[Anything-but matching] list of numbers: 300', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event({ 'x-limit': 300 })),
  match('[Anything-but matching] list of numbers: 301.8', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event({ 'x-limit': 301.8 })),
  match(
    '[Anything-but matching] an event array passes when one element is not excluded',
    { detail: { state: [{ 'anything-but': ['stopped'] }] } },
    ec2Event({ state: ['stopped', 'running'] }),
  ),
  miss(
    '[Anything-but matching] an event array fails when every element is excluded',
    { detail: { state: [{ 'anything-but': ['stopped'] }] } },
    ec2Event({ state: ['stopped', 'stopped'] }),
  ),
  match(
    '[Anything-but matching on prefixes] running does not start with init',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    ec2Event({ state: 'running' }),
  ),
  miss(
    '[Anything-but matching on prefixes] initializing starts with init',
    { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    ec2Event({ state: 'initializing' }),
  ),
  match('[Ruler] anything-but prefix lets a number through', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2Event({ state: 12 })),
  match(
    '[Ruler] anything-but prefix list: post-init',
    { detail: { state: [{ 'anything-but': { prefix: ['init', 'test'] } }] } },
    ec2Event({ state: 'post-init' }),
  ),
  miss(
    '[Ruler] anything-but prefix list: test-run',
    { detail: { state: [{ 'anything-but': { prefix: ['init', 'test'] } }] } },
    ec2Event({ state: 'test-run' }),
  ),
  match(
    '[Anything-but matching on suffixes] FileName is a .jpg',
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    ec2Event({ FileName: 'a.jpg' }),
  ),
  miss(
    '[Anything-but matching on suffixes] FileName is a .png',
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    ec2Event({ FileName: 'a.png' }),
  ),
  miss(
    '[Anything-but matching ignoring case] INITIALIZING is excluded',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    ec2Event({ state: 'INITIALIZING' }),
  ),
  match(
    '[Anything-but matching ignoring case] a list: Running passes',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
    ec2Event({ state: 'Running' }),
  ),
  miss(
    '[Anything-but matching ignoring case] a list: STOPPED is excluded',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
    ec2Event({ state: 'STOPPED' }),
  ),
  miss(
    '[Anything-but matching using a wildcard] a path under /lib/ is excluded',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/lib/libc.so' },
  ),
  match(
    '[Anything-but matching using a wildcard] a path outside /lib/ passes',
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/env' },
  ),
  match('[Ruler] anything-but wildcard lets a number through', { FilePath: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, { FilePath: 123 }),
];

const NUMERIC: readonly MatchCase[] = [
  match(
    '[Numeric matching] the c-count/d-count/x-limit example',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    ec2Event({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }),
  ),
  miss('[Numeric matching] > 0 excludes 0', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2Event({ 'c-count': 0 })),
  miss('[Numeric matching] <= 5 excludes 5.5', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ec2Event({ 'c-count': 5.5 })),
  match('[Numeric matching] >= includes its bound', { n: [{ numeric: ['>=', 10] }] }, { n: 10 }),
  miss('[Numeric matching] < excludes its bound', { n: [{ numeric: ['<', 10] }] }, { n: 10 }),
  match('[Numeric matching] negative values', { n: [{ numeric: ['<', 0] }] }, { n: -0.5 }),
  match('[Numeric matching] = compares numerically (3.018e2 and 301.8)', { n: [{ numeric: ['=', 301.8] }] }, JSON.parse('{"n":3.018e2}')),
  match('[Ruler] a float event value against an integer bound (101.0 > 100)', { n: [{ numeric: ['>', 100] }] }, JSON.parse('{"n":101.0}')),
  miss('[Numeric matching] works with JSON numbers only, not "3"', { n: [{ numeric: ['<', 10] }] }, { n: '3' }),
  miss('[Ruler] numeric does not match null', { n: [{ numeric: ['<', 10] }] }, { n: null }),
  miss('[Ruler] numeric does not match a missing field', { n: [{ numeric: ['<', 10] }] }, {}),
  match('[Ruler] numeric matches when any array element is in range', { n: [{ numeric: ['>', 5] }] }, { n: [1, 10] }),
  match('[Ruler] numeric and a literal are alternatives', { n: [{ numeric: ['>', 100] }, 7] }, { n: 7 }),
];

const CIDR_AND_EXISTS: readonly MatchCase[] = [
  match(
    '[IP address matching] 10.0.0.0/24 contains 10.0.0.24',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    ec2Event({ sourceIPAddress: '10.0.0.24' }),
  ),
  match(
    '[IP address matching] 10.0.0.0/24 contains 10.0.0.255',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    ec2Event({ sourceIPAddress: '10.0.0.255' }),
  ),
  miss(
    '[IP address matching] 10.0.0.0/24 does not contain 10.0.1.1',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    ec2Event({ sourceIPAddress: '10.0.1.1' }),
  ),
  miss(
    '[IP address matching] a value that is not an address',
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    ec2Event({ sourceIPAddress: 'localhost' }),
  ),
  miss('[Ruler] cidr does not match a number', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, ec2Event({ sourceIPAddress: 123 })),
  match('[IP address matching] /32 is one address', { ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.7' }),
  miss('[IP address matching] /32 excludes its neighbour', { ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.8' }),
  match('[IP address matching] /0 contains every IPv4 address', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '203.0.113.9' }),
  match(
    '[IP address matching] IPv6: 2001:db8:1234:1a00::/64 contains the uncompressed form',
    { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
    { ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' },
  ),
  miss('[IP address matching] IPv6: outside the /64', { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:db8:1234:1b00::1' }),
  match('[IP address matching] IPv6 with a dotted IPv4 tail', { ip: [{ cidr: '::ffff:0:0/96' }] }, { ip: '::ffff:10.0.0.1' }),
  miss('[IP address matching] an IPv4 block never contains an IPv6 address', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '::1' }),
  match(
    '[Exists matching] exists false: detail.c-count is absent',
    { detail: { 'c-count': [{ exists: false }] } },
    ec2Event({ state: ['initializing', 'running'] }),
  ),
  match(
    '[Exists matching] exists false: c-count is an object, not a leaf',
    { detail: { 'c-count': [{ exists: false }] } },
    ec2Event({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }),
  ),
  miss('[Exists matching] exists false: c-count is present', { detail: { 'c-count': [{ exists: false }] } }, ec2Event({ 'c-count': 3 })),
  match('[Exists matching] exists true: description is present', { detail: { description: [{ exists: true }] } }, ec2Event({ description: 'disk full' })),
  miss('[Exists matching] exists true: description is absent', { detail: { description: [{ exists: true }] } }, ec2Event({ state: 'running' })),
  miss('[Exists matching] exists true: c-count is an object, not a leaf', { detail: { 'c-count': [{ exists: true }] } }, ec2Event({ 'c-count': { c1: 100 } })),
  match('[Ruler] exists true: a null value is present', { detail: { responseElements: [{ exists: true }] } }, ec2Event({ responseElements: null })),
  miss('[Ruler] exists false: a null value is present', { detail: { responseElements: [{ exists: false }] } }, ec2Event({ responseElements: null })),
  miss('[Ruler] exists true: an empty array holds no value', { resources: [{ exists: true }] }, ec2Event({}, { resources: [] })),
  match('[Ruler] exists false: an empty array holds no value', { resources: [{ exists: false }] }, ec2Event({}, { resources: [] })),
  match(
    '[Ruler] exists true: one element of an array of objects has the field',
    { detail: { automations: { id: [{ exists: true }] } } },
    ec2Event({ automations: [{ key1: 'value1' }, { id: 'match-does-exist' }, { key2: 'value2' }] }),
  ),
  match(
    '[Ruler] exists false below a path that ends in a string',
    { detail: { level1: { level2: { level3: [{ exists: false }] } } } },
    ec2Event({ level1: { level2: 'l2 value' } }),
  ),
  match(
    '[Ruler] exists false is an alternative to anything-but on a missing parent',
    { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } },
    { dynamodb: { NewImage: { purchased: { N: '789' } } } },
  ),
];

const OR_AND_COMPLEX: readonly MatchCase[] = [
  match(
    '[Complex example with $or matching] d-count 0 < 10 satisfies one branch',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
      },
    },
    ec2Event({ 'c-count': 0, 'd-count': 0, 'x-limit': 9.018e2 }),
  ),
  miss(
    '[Complex example with $or matching] no branch is satisfied',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
      },
    },
    ec2Event({ 'c-count': 0, 'd-count': 10, 'x-limit': 9.018e2 }),
  ),
  match(
    '[Ruler] $or combines with its siblings by AND (both hold)',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.cloudwatch', namespace: 'AWS/EC2' },
  ),
  miss(
    '[Ruler] $or combines with its siblings by AND (sibling fails)',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.ec2', namespace: 'AWS/EC2' },
  ),
  match(
    '[Ruler] a branch may hold several fields and a nested $or',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
  ),
  miss(
    '[Ruler] a branch with several fields needs all of them',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 },
  ),
  match(
    '[Ruler] parallel $or at two levels',
    {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
  ),
  match('[Ruler] a branch is a plain field of exists false', { $or: [{ severity: [{ exists: false }] }, { severity: ['high'] }] }, { source: 'x' }),
  match(
    '[Complex example with multiple matching] prefix, anything-but and numeric together',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    ec2Event({ state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }, { time: '2017-10-02T16:24:49Z' }),
  ),
  miss(
    '[Complex example with multiple matching] one failing field fails the pattern',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    ec2Event({ state: 'running', 'c-count': 5, 'x-limit': 300 }, { time: '2017-10-02T16:24:49Z' }),
  ),
];

/** The filter of the P1/P2 paging rule. */
const PAGE_ON_CALL: EventPattern = {
  source: ['itsm.incidents'],
  'detail-type': ['IncidentCreated', 'IncidentResolved'],
  detail: { tenantId: ['acme'], priority: [{ numeric: ['<=', 2] }] },
};

const MAJOR_OR_P1: EventPattern = { source: ['itsm.incidents'], detail: { $or: [{ majorIncident: [true] }, { priority: [1] }] } };

const PRIORITY_RAISED_TO_P1: EventPattern = { 'detail-type': ['IncidentUpdated'], detail: { changes: { field: ['priority'], to: [1] } } };

const PRODUCT: readonly MatchCase[] = [
  match('product: a P1 incident created at acme pages on-call', PAGE_ON_CALL, incidentEvent('IncidentCreated', { priority: 1 })),
  match('product: a P2 incident resolved at acme pages on-call', PAGE_ON_CALL, incidentEvent('IncidentResolved', { priority: 2 })),
  miss('product: a P3 incident does not page', PAGE_ON_CALL, incidentEvent('IncidentCreated', { priority: 3 })),
  miss('product: another tenant does not page', PAGE_ON_CALL, incidentEvent('IncidentCreated', { tenantId: 'globex', priority: 1 })),
  miss('product: an update does not page', PAGE_ON_CALL, incidentEvent('IncidentUpdated', { priority: 1 })),
  miss('product: another source does not page', PAGE_ON_CALL, incidentEvent('IncidentCreated', { priority: 1 }, 'itsm.tenants')),
  miss('product: a priority sent as a string does not page', PAGE_ON_CALL, incidentEvent('IncidentCreated', { priority: '1' })),
  match('product: a major P3 incident is major-or-P1', MAJOR_OR_P1, incidentEvent('IncidentUpdated', { majorIncident: true, priority: 3 })),
  miss('product: a minor P2 incident is not major-or-P1', MAJOR_OR_P1, incidentEvent('IncidentUpdated', { majorIncident: false, priority: 2 })),
  match(
    'product: an unassigned new incident (assignmentGroup null)',
    { 'detail-type': ['IncidentCreated'], detail: { assignmentGroup: [null] } },
    incidentEvent('IncidentCreated', { assignmentGroup: null }),
  ),
  match(
    'product: priority raised to 1 in one change entry',
    PRIORITY_RAISED_TO_P1,
    incidentEvent('IncidentUpdated', {
      changes: [
        { field: 'impact', from: 2, to: 1 },
        { field: 'priority', from: 3, to: 1 },
      ],
    }),
  ),
  miss(
    'product: field and value from two different change entries',
    PRIORITY_RAISED_TO_P1,
    incidentEvent('IncidentUpdated', {
      changes: [
        { field: 'priority', from: 4, to: 3 },
        { field: 'impact', from: 2, to: 1 },
      ],
    }),
  ),
  match(
    'product: a returned dispatch (facts.returnedDispatch)',
    { 'detail-type': ['IncidentAssigned'], detail: { facts: { returnedDispatch: [true] } } },
    incidentEvent('IncidentAssigned', { facts: { returnedDispatch: true } }),
  ),
  match(
    'product: every incident event of a production tenant (wildcard, anything-but)',
    { source: [{ prefix: 'itsm.' }], 'detail-type': [{ wildcard: 'Incident*' }], detail: { tenantId: [{ 'anything-but': ['sandbox', 'demo'] }] } },
    incidentEvent('IncidentReopened'),
  ),
  miss(
    'product: a settings event is not an incident event',
    { source: [{ prefix: 'itsm.' }], 'detail-type': [{ wildcard: 'Incident*' }], detail: { tenantId: [{ 'anything-but': ['sandbox', 'demo'] }] } },
    incidentEvent('PriorityMatrixUpdated', {}, 'itsm.tenants'),
  ),
];

const ALL_CASES: readonly MatchCase[] = [
  ...BASICS,
  ...NULLS_AND_ARRAYS,
  ...STRING_FILTERS,
  ...ANYTHING_BUT,
  ...NUMERIC,
  ...CIDR_AND_EXISTS,
  ...OR_AND_COMPLEX,
  ...PRODUCT,
];

describe('matchesEventPattern', () => {
  describe.each([
    ['event patterns, literals and nesting', BASICS],
    ['null values, empty strings and arrays', NULLS_AND_ARRAYS],
    ['prefix, suffix, equals-ignore-case and wildcard', STRING_FILTERS],
    ['anything-but', ANYTHING_BUT],
    ['numeric', NUMERIC],
    ['cidr and exists', CIDR_AND_EXISTS],
    ['$or and complex patterns', OR_AND_COMPLEX],
    ['patterns the product uses', PRODUCT],
  ])('%s', (_, cases) => {
    it.each(cases)('$name', ({ pattern, event, matches }) => {
      expect(matchesEventPattern(pattern, event)).toBe(matches);
    });
  });

  it('ignores a malformed filter instead of matching on it', () => {
    expect(matchesEventPattern({ source: [{ prefx: 'aws.' }] }, ec2Event({}))).toBe(false);
    expect(matchesEventPattern({ source: [{ prefix: 'aws.', suffix: 'ec2' }] }, ec2Event({}))).toBe(false);
    expect(matchesEventPattern({ n: [{ numeric: ['>', 'x'] }] }, { n: 1 })).toBe(false);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\b' }] }, { v: 'a\\b' })).toBe(false);
    expect(matchesEventPattern({ source: 'aws.ec2' }, ec2Event({}))).toBe(false);
  });
});

/** Field names, '$or' aside: that one is an operator, not a field. */
const fieldName = fc.string({ minLength: 1, maxLength: 12 }).filter((name) => name !== '$or');
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const flatEvent = fc.dictionary(fieldName, scalar, { minKeys: 1, maxKeys: 8 });

/** Each field of `event` as a one-value array: the narrowest pattern that matches it. */
function ownValuesPattern(event: Readonly<Record<string, unknown>>): EventPattern {
  return Object.fromEntries(Object.entries(event).map(([name, value]) => [name, [value]]));
}

describe('matchesEventPattern properties', () => {
  it('matches a flat event with the pattern of its own values, at the top and nested in detail', () => {
    fc.assert(
      fc.property(flatEvent, (event) => {
        const pattern = ownValuesPattern(event);
        expect(eventPatternProblems(pattern)).toEqual([]);
        expect(matchesEventPattern(pattern, event)).toBe(true);
        expect(matchesEventPattern({ source: ['itsm.incidents'], detail: pattern }, incidentEvent('IncidentCreated', event))).toBe(true);
      }),
    );
  });

  it('stops matching once one value changes to a different string', () => {
    fc.assert(
      fc.property(flatEvent, fc.nat(), fc.string(), (event, pick, replacement) => {
        const names = Object.keys(event);
        const name = names[pick % names.length] as string;
        fc.pre(event[name] !== replacement);
        expect(matchesEventPattern(ownValuesPattern(event), { ...event, [name]: replacement })).toBe(false);
      }),
    );
  });
});

interface ProblemCase {
  readonly name: string;
  readonly pattern: unknown;
  /** One fragment per expected problem, in order. */
  readonly problems: readonly string[];
}

function problems(name: string, pattern: unknown, ...fragments: string[]): ProblemCase {
  return { name, pattern, problems: fragments };
}

const PROBLEMS: readonly ProblemCase[] = [
  problems('null is not a pattern', null, 'must be a JSON object'),
  problems('a string is not a pattern', '{"source":["x"]}', 'must be a JSON object'),
  problems('an array is not a pattern', [{ source: ['x'] }], 'must be a JSON object'),
  problems('the empty pattern', {}, 'The pattern must not be an empty object'),
  problems('an empty nested object', { detail: {} }, 'detail must not be an empty object'),
  problems('a leaf that is a string, not an array', { source: 'aws.ec2' }, 'source must be an array'),
  problems('a leaf that is a number, not an array', { detail: { n: 5 } }, 'detail.n must be an array'),
  problems('a leaf that is null', { detail: { n: null } }, 'detail.n must be an array'),
  problems('an empty value array', { resources: [] }, 'resources must not be an empty array'),
  problems('a nested array as a value', { resources: [['a']] }, 'resources[0] must be a string, number, boolean, null or a filter object'),
  problems('a non-finite number', { n: [Number.POSITIVE_INFINITY] }, 'n[0] must be a finite number'),
  problems('an unknown operator', { source: [{ prefx: 'aws.' }] }, 'source[0]: unknown filter operator "prefx"'),
  problems('operators are case sensitive', { detail: { equal: [{ NUMERIC: ['=', 5] }] } }, 'unknown filter operator "NUMERIC"'),
  problems('an inherited name is not an operator', { source: [{ toString: 'x' }] }, 'unknown filter operator "toString"'),
  problems('a filter with two operators', { source: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one operator'),
  problems('an empty filter object', { source: [{}] }, 'exactly one operator'),
  problems('prefix takes a string', { time: [{ prefix: 123 }] }, 'prefix must be a string'),
  problems('prefix ignoring case takes a string', { time: [{ prefix: { 'equals-ignore-case': 1 } }] }, 'prefix must be a string'),
  problems('prefix supports only equals-ignore-case', { time: [{ prefix: { suffix: 'x' } }] }, 'prefix must be a string'),
  problems('suffix takes a string', { f: [{ suffix: ['.png'] }] }, 'suffix must be a string'),
  problems('equals-ignore-case takes a string, not a filter', { t: [{ 'equals-ignore-case': { prefix: 'ec2' } }] }, 'equals-ignore-case must be a string'),
  problems('numeric must be an array', { n: [{ numeric: '>5' }] }, 'numeric must list operator'),
  problems('numeric must not be empty', { n: [{ numeric: [] }] }, 'numeric must list operator'),
  problems('numeric with a dangling operator', { n: [{ numeric: ['>', 0, '<'] }] }, 'numeric must list operator'),
  problems('numeric with an unknown operator', { n: [{ numeric: ['==', 1] }] }, 'numeric must list operator'),
  problems('numeric with a string operand', { n: [{ numeric: ['>', '5'] }] }, 'numeric must list operator'),
  problems('numeric with the upper bound first', { n: [{ numeric: ['<', 10, '>', 0] }] }, 'lower bound (> or >=) followed by an upper bound'),
  problems('numeric = cannot take a second condition', { n: [{ numeric: ['=', 1, '<', 2] }] }, 'lower bound (> or >=) followed by an upper bound'),
  problems('numeric with three conditions', { n: [{ numeric: ['>', 0, '<=', 5, '<', 6] }] }, 'lower bound (> or >=) followed by an upper bound'),
  problems('numeric with an empty range', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, 'lower bound must be below its upper bound'),
  problems('wildcard takes a string', { f: [{ wildcard: 1 }] }, 'wildcard must be a string'),
  problems('wildcard with consecutive stars', { arn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] }, 'consecutive * characters'),
  problems('wildcard escaping another character', { f: [{ wildcard: 'a\\b' }] }, 'may escape only * and \\'),
  problems('wildcard ending in a lone backslash', { f: [{ wildcard: 'a\\' }] }, 'may escape only * and \\'),
  problems('cidr takes a string', { ip: [{ cidr: 10 }] }, 'cidr must be a string'),
  problems('cidr that is not an address', { ip: [{ cidr: 'bad-filter' }] }, 'cidr "bad-filter" must be an IPv4 or IPv6 address'),
  problems('cidr with a malformed address', { ip: [{ cidr: 'xx.11.xx/8' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr with a malformed mask', { ip: [{ cidr: 'bad-/64filter' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr without a prefix length', { ip: [{ cidr: '10.0.0.0' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr with an IPv4 prefix over 32', { ip: [{ cidr: '10.0.0.0/33' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr with an octet over 255', { ip: [{ cidr: '10.0.0.256/32' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr with a malformed IPv6 address', { ip: [{ cidr: '2001:db8::1::/64' }] }, 'must be an IPv4 or IPv6 address'),
  problems('cidr with host bits set', { ip: [{ cidr: '10.0.0.5/24' }] }, 'has bits set after the prefix length'),
  problems('exists takes a boolean', { f: [{ exists: 'true' }] }, 'exists must be true or false'),
  problems('anything-but null', { s: [{ 'anything-but': null }] }, 'anything-but must be a string, a number'),
  problems('anything-but a boolean', { s: [{ 'anything-but': true }] }, 'anything-but must be a string, a number'),
  problems('anything-but an empty list', { s: [{ 'anything-but': [] }] }, 'anything-but must not be an empty list'),
  problems('anything-but a mixed list', { s: [{ 'anything-but': [1, 'a'] }] }, 'only strings or only numbers'),
  problems('anything-but a list holding null', { s: [{ 'anything-but': ['a', null] }] }, 'only strings or only numbers'),
  problems('anything-but an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 'anything-but prefix must not be empty'),
  problems('anything-but a numeric suffix', { s: [{ 'anything-but': { suffix: 1 } }] }, 'anything-but suffix must be a string or a non-empty list'),
  problems(
    'anything-but prefix ignoring case',
    { s: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'file' } } }] },
    'anything-but prefix must be a string',
  ),
  problems('anything-but an unsupported operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'one of prefix, suffix, equals-ignore-case, wildcard'),
  problems('anything-but a bad wildcard', { s: [{ 'anything-but': { wildcard: ['ok*', 'a**'] } }] }, 'consecutive * characters'),
  problems('$or that is not an array', { $or: { a: ['x'] } }, '$or must be an array of at least two pattern objects'),
  problems('$or with one branch', { $or: [{ a: ['x'] }] }, '$or must be an array of at least two pattern objects'),
  problems('$or with a branch that is not an object', { detail: { $or: [{ a: ['x'] }, ['b']] } }, 'detail.$or[1] must be a pattern object'),
  problems('$or with an empty branch', { $or: [{ a: ['x'] }, {}] }, '$or[1] must not be an empty object'),
  problems('$or with a filter where a field belongs', { $or: [{ prefix: 'a' }, { b: ['x'] }] }, '$or[0].prefix: "prefix" is a filter operator'),
  problems('a problem inside a $or branch names its path', { $or: [{ a: ['x'] }, { b: { c: [{ numeric: [] }] } }] }, '$or[1].b.c[0]: numeric'),
  problems(
    'every problem is reported, in order',
    { source: 'x', detail: { a: [], b: [{ cidr: 'nope' }], c: [{ exists: 1 }, { wildcard: '**' }] } },
    'source must be an array',
    'detail.a must not be an empty array',
    'detail.b[0]: cidr',
    'detail.c[0]: exists',
    'detail.c[1]: wildcard',
  ),
];

describe('eventPatternProblems', () => {
  it.each(PROBLEMS)('$name', ({ pattern, problems: fragments }) => {
    const found = eventPatternProblems(pattern);
    expect(found).toHaveLength(fragments.length);
    fragments.forEach((fragment, index) => {
      expect(found[index]).toContain(fragment);
    });
  });

  it.each(ALL_CASES)('accepts the pattern of "$name"', ({ pattern }) => {
    expect(eventPatternProblems(pattern)).toEqual([]);
  });

  it.each([
    ['the empty string as a value', { detail: { eventVersion: [''] } }],
    ['the empty prefix', { time: [{ prefix: '' }] }],
    ['anything-but of an empty string', { s: [{ 'anything-but': '' }] }],
    ['anything-but equals-ignore-case of a list', { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }],
    ['anything-but the empty wildcard', { s: [{ 'anything-but': { wildcard: '' } }] }],
    ['an escaped star next to a star', { f: [{ wildcard: 'a\\**' }] }],
    ['a numeric range with an open bottom', { n: [{ numeric: ['>', -1e9, '<', 1e9] }] }],
    ['a /0 block', { ip: [{ cidr: '0.0.0.0/0' }] }],
    ['an IPv6 block with a dotted tail', { ip: [{ cidr: '::ffff:10.0.0.0/104' }] }],
  ])('accepts %s', (_, pattern) => {
    expect(eventPatternProblems(pattern)).toEqual([]);
  });
});
