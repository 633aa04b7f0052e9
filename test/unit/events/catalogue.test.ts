/**
 * The published catalogue: every event type has a sample that its own
 * schema accepts, a JSON Schema, and the members every consumer relies on.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE, type EventType } from '#shared/events/catalogue.js';
import { catalogueDocument, sampleEvent } from '#shared/events/catalogue-document.js';
import { buildOpenApiDocument } from '#shared/http/openapi.js';

const TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

describe('event catalogue', () => {
  it.each(TYPES)('%s: its sample passes its schema and carries tenant, version, time and actor', (type) => {
    const sample = sampleEvent(type);
    expect(EVENT_CATALOGUE[type].schema.safeParse(sample.detail).success).toBe(true);
    expect(sample).toMatchObject({ 'detail-type': type, source: EVENT_CATALOGUE[type].source });
    expect(sample.detail).toEqual(
      expect.objectContaining({
        eventId: expect.any(String),
        tenantId: expect.any(String),
        occurredAt: expect.any(String),
        version: expect.any(Number),
        actor: expect.any(Object),
      }),
    );
  });

  it.each(TYPES)('%s: is PascalCase and comes from an itsm.* source', (type) => {
    expect(type).toMatch(/^([A-Z][a-z]+)+$/);
    expect(EVENT_CATALOGUE[type].source).toMatch(/^itsm\.[a-z]+$/);
  });

  it('publishes a JSON Schema per type that requires the envelope members', () => {
    const document = catalogueDocument();
    expect(document.map((entry) => entry.detailType)).toEqual(TYPES);
    for (const entry of document) {
      expect(entry.detailSchema).toMatchObject({ type: 'object' });
      expect((entry.detailSchema as { required: string[] }).required).toEqual(
        expect.arrayContaining(['eventId', 'tenantId', 'occurredAt', 'actor', 'version']),
      );
    }
  });

  it('describes every event type as an OpenAPI webhook', () => {
    const openapi = buildOpenApiDocument([], 'http://localhost') as { webhooks?: Record<string, unknown> };
    expect(Object.keys(openapi.webhooks ?? {}).sort()).toEqual([...TYPES].sort());
  });
});
