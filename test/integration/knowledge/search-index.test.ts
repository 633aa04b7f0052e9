/**
 * The search index's term statistics on DynamoDB Local: indexing a
 * document counts it in the document frequency of each term and scope it
 * gained, a new revision moves only the terms that changed, removing it
 * uncounts it, a repeated run changes nothing; and a term's read returns
 * that frequency with its best postings in one Query. Driven through the
 * data layer directly.
 */
import { describe, expect, it } from 'vitest';
import { newTenant, useLocalTable } from '../api-client.js';

// Before importing the data layer: it reads its configuration at import time.
useLocalTable();
const { readPostings, writeDocument } = await import('#shared/data/knowledge/search-index.js');

const head = (docKey: string, scopes: ('all' | 'req')[]) => ({
  docKey,
  kind: 'article' as const,
  id: docKey.slice(2),
  number: `KB${docKey.slice(2)}`,
  title: docKey,
  text: '',
  category: 'network',
  scopes,
  complete: true,
  updatedAt: new Date().toISOString(),
});

describe('search index term statistics', () => {
  const tenantId = newTenant('kb-df');
  const df = async (scope: 'all' | 'req', term: string) => (await readPostings(tenantId, scope, term, 10)).df ?? 0;

  it('document frequencies follow what is indexed, per scope, and a repeat changes nothing', async () => {
    await writeDocument(tenantId, 'A.1', {
      head: head('A.1', ['all', 'req']),
      impacts: new Map([
        ['vpn', 2],
        ['断开', 1],
      ]),
    });
    await writeDocument(tenantId, 'A.2', { head: head('A.2', ['all']), impacts: new Map([['vpn', 1.5]]) });
    expect([await df('all', 'vpn'), await df('req', 'vpn'), await df('all', '断开'), await df('req', '断开')]).toEqual([2, 1, 1, 1]);

    // A new revision of A.1: drops 断开, adds 连接, re-weighs vpn (its df unchanged); run twice, as a redelivered event would.
    for (let run = 0; run < 2; run++) {
      await writeDocument(tenantId, 'A.1', {
        head: head('A.1', ['all', 'req']),
        impacts: new Map([
          ['vpn', 1],
          ['连接', 1],
        ]),
      });
    }
    expect([await df('all', 'vpn'), await df('all', '断开'), await df('all', '连接'), await df('req', '连接')]).toEqual([2, 0, 1, 1]);

    const read = await readPostings(tenantId, 'all', 'vpn', 10);
    expect(read).toEqual({
      postings: [
        { doc: 'A.2', impact: 1.5 },
        { doc: 'A.1', impact: 1 },
      ],
      df: 2,
      complete: true,
    });
    const cut = await readPostings(tenantId, 'all', 'vpn', 1);
    expect(cut).toMatchObject({ postings: [{ doc: 'A.2', impact: 1.5 }], df: 2, complete: false });
    // The statistics item passes a category filter; postings of other categories do not.
    expect(await readPostings(tenantId, 'all', 'vpn', 10, 'email')).toEqual({ postings: [], df: 2, complete: true });

    await writeDocument(tenantId, 'A.1', null);
    expect([await df('all', 'vpn'), await df('req', 'vpn'), await df('all', '连接')]).toEqual([1, 0, 0]);
  });
});
