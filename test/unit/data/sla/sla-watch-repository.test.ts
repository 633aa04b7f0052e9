import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getWatchedIncident } from '#shared/data/sla/sla-watch-repository.js';
import { defaultEscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { defaultSlaPolicy } from '#shared/domain/sla/sla-policy.js';

const ddb = mockClient(DynamoDBDocumentClient);

beforeAll(() => {
  process.env.TABLE_NAME = 'itsm-test';
});

afterEach(() => {
  ddb.reset();
});

const INCIDENT_PK = 'TENANT#t1#INCIDENT#i1';
const SETTINGS_PK = 'TENANT#t1#SETTINGS';

describe('getWatchedIncident: what the SLA watch reads besides the history', () => {
  it('reads the incident, its announcements and both policies in ONE strongly consistent BatchGetItem', async () => {
    const escalationPolicy = { levels: [] };
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        'itsm-test': [
          { PK: SETTINGS_PK, SK: 'ESCALATION', value: escalationPolicy, version: 3 },
          { PK: INCIDENT_PK, SK: 'SLA_ANNOUNCEMENTS', announced: new Set(['response:0.5']) },
          { PK: INCIDENT_PK, SK: 'INCIDENT', entity: 'Incident', id: 'i1', tenantId: 't1', version: 2, summary: { number: 'INC0001001', priority: 2 } },
        ],
      },
    });

    const watched = await getWatchedIncident('t1', 'i1');

    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    const request = ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['itsm-test'];
    expect(request?.ConsistentRead).toBe(true);
    expect(request?.Keys).toEqual(
      expect.arrayContaining([
        { PK: INCIDENT_PK, SK: 'INCIDENT' },
        { PK: INCIDENT_PK, SK: 'SLA_ANNOUNCEMENTS' },
        { PK: SETTINGS_PK, SK: 'SLA' },
        { PK: SETTINGS_PK, SK: 'ESCALATION' },
      ]),
    );
    expect(watched.incident).toMatchObject({ id: 'i1', tenantId: 't1', version: 2, number: 'INC0001001', priority: 2 });
    expect([...watched.announced]).toEqual(['response:0.5']);
    expect(watched.escalationPolicy).toEqual(escalationPolicy);
    // Never saved: the default, as the settings store answers it.
    expect(watched.slaPolicy).toEqual(defaultSlaPolicy());
  });

  it('answers no incident, nothing announced and the default policies when none of the items exists', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'itsm-test': [] } });

    const watched = await getWatchedIncident('t1', 'gone');

    expect(watched).toEqual({ incident: null, announced: new Set(), slaPolicy: defaultSlaPolicy(), escalationPolicy: defaultEscalationPolicy() });
  });

  it('asks again for keys DynamoDB left unprocessed, until every item is read', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { 'itsm-test': [{ PK: SETTINGS_PK, SK: 'SLA', value: defaultSlaPolicy(), version: 1 }] },
        UnprocessedKeys: { 'itsm-test': { Keys: [{ PK: INCIDENT_PK, SK: 'INCIDENT' }] } },
      })
      .resolves({ Responses: { 'itsm-test': [{ PK: INCIDENT_PK, SK: 'INCIDENT', id: 'i1', tenantId: 't1', version: 1, summary: { number: 'INC0001002' } }] } });

    const watched = await getWatchedIncident('t1', 'i1');

    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(ddb.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.['itsm-test']?.ConsistentRead).toBe(true);
    expect(watched.incident).toMatchObject({ id: 'i1', number: 'INC0001002' });
  });
});
