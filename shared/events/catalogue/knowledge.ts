/**
 * Events of the knowledge practice: detail schemas and catalogue entries.
 * @module
 */
import * as z from 'zod';
import { EventEnvelope, eventsOf, FieldChangeSchema } from './common.js';

/** Detail of every article event. */
export const ArticleEventDetail = EventEnvelope.extend({
  articleId: z.string(),
  number: z.string().describe('KB0001001'),
  version: z.number().int(),
  status: z.string(),
  revision: z.number().int().describe('The working revision'),
  title: z.string(),
  audience: z.array(z.string()).describe('Of the published revision when there is one'),
  changes: z.array(FieldChangeSchema),
  facts: z.record(z.string(), z.unknown()),
});
export type ArticleEventDetail = z.infer<typeof ArticleEventDetail>;

/** The knowledge practice's events: detail-type → source, schema, description. */
export const knowledgeEvents = {
  ...eventsOf('itsm.knowledge', ArticleEventDetail, {
    ArticleCreated: 'A knowledge article was drafted.',
    ArticleUpdated: 'The working copy changed; editing a published article starts its next revision (`facts.startsRevision`).',
    ArticleSubmitted: 'The working copy was submitted for review.',
    ArticleRejected: 'The reviewer sent the working copy back (`facts.reason`).',
    ArticlePublished:
      'A reviewer other than the author published the revision (`facts.revision`, `facts.firstPublication`, `facts.complete`); search indexes it.',
    ArticleRetired: 'The article was withdrawn from readers and search.',
  }),
};
