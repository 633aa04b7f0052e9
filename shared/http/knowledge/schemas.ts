/**
 * Request and response schemas of the knowledge API.
 * @module
 */
import * as z from 'zod';
import { ARTICLE_ACTIONS, ARTICLE_STATUSES, AUDIENCES, LINK_KINDS } from '#shared/domain/knowledge/article.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

export const ArticleIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}|KB\d{7,})$/)
    .meta({ description: 'ULID or number (KB0001001)', example: 'KB0001001' }),
});
export const IncidentIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    .meta({ description: 'Incident id (ULID)' }),
});

/**
 * Markdown up to 200 000 characters passes validation, so that a body over
 * the stored limit ({@link MAX_BODY_BYTES} UTF-8 bytes) is answered 422 by
 * the rule that knows the limit, not 400.
 */
const Body = z.string().min(1).max(200_000).meta({ description: 'Markdown; raw HTML is shown as text, never rendered' });

const ContentFields = {
  title: text(300),
  body: Body,
  category: text(100),
  tags: z.array(text(50)).max(30),
  audience: z.array(z.enum(AUDIENCES)).min(1).max(2),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/)
    .meta({ example: 'zh-CN' }),
  links: z.array(z.strictObject({ kind: z.enum(LINK_KINDS), ref: text(500) })).max(50),
};

export const CreateArticleBody = z
  .strictObject({
    ...ContentFields,
    tags: ContentFields.tags.default([]),
    language: ContentFields.language.default('en'),
    links: ContentFields.links.default([]),
  })
  .meta({ id: 'CreateArticle' });
export const UpdateArticleBody = z
  .strictObject(
    Object.fromEntries(Object.entries(ContentFields).map(([name, schema]) => [name, schema.optional()])) as {
      [K in keyof typeof ContentFields]: z.ZodOptional<(typeof ContentFields)[K]>;
    },
  )
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field')
  .meta({ id: 'UpdateArticle' });
export const ReasonBody = z.strictObject({ reason: text(2_000) }).meta({ id: 'ArticleReason' });
export const EmptyBody = z.strictObject({}).optional();
export const FeedbackBody = z.strictObject({ helpful: z.boolean() }).meta({ id: 'ArticleFeedback' });

export const ListArticlesQuery = z.strictObject({
  status: z.enum(ARTICLE_STATUSES).optional(),
  reviewDue: z.enum(['true', 'false']).optional().meta({ description: 'true: published articles whose review date has passed (flagged)' }),
  limit: PageLimit,
  cursor: PageCursor,
});
export const PageOnlyQuery = z.strictObject({ limit: PageLimit, cursor: PageCursor });

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  category: text(100).optional(),
  audience: z.enum(AUDIENCES).optional().meta({ description: 'Staff: search as requesters see it. Requesters always do.' }),
  kind: z.enum(['article', 'known_error']).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

export const MetricsQuery = z.strictObject({
  from: Month.optional().meta({ description: 'First month (default: 11 months before `to`)' }),
  to: Month.optional().meta({ description: 'Last month (default: this month)' }),
});

const ContentResource = z.object({
  title: z.string(),
  body: z.string(),
  html: z.string().meta({ description: 'The body rendered: raw HTML escaped, unsafe links not linked' }),
  category: z.string(),
  tags: z.array(z.string()),
  audience: z.array(z.enum(AUDIENCES)),
  language: z.string(),
  links: z.array(z.object({ kind: z.enum(LINK_KINDS), ref: z.string() })),
});

export const ArticleResource = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(ARTICLE_STATUSES),
    revision: z.number().int(),
    content: ContentResource.meta({ description: 'Staff: the working copy. Requesters: the published revision.' }),
    authorId: z.string(),
    review: z.object({ submittedAt: Timestamp.nullable(), rejection: z.object({ by: z.string(), reason: z.string() }).nullable() }).nullable(),
    published: z
      .object({ revision: z.number().int(), content: ContentResource, authorId: z.string(), publishedBy: z.string(), publishedAt: Timestamp })
      .nullable(),
    reviewDueAt: Timestamp.nullable(),
    reviewOverdue: z.boolean(),
    completeness: z.object({ complete: z.boolean(), missing: z.array(z.string()) }),
    retired: z.object({ at: Timestamp, by: z.string(), reason: z.string() }).nullable(),
    stats: z.object({ views: z.number().int(), helpful: z.number().int(), notHelpful: z.number().int(), uses: z.number().int() }),
    allowedActions: z.array(z.enum(ARTICLE_ACTIONS)),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'Article' });

export const ArticlePage = pageOf(
  z.object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    status: z.enum(ARTICLE_STATUSES),
    category: z.string(),
    language: z.string(),
    revision: z.number().int(),
    publishedRevision: z.number().int().nullable(),
    reviewDueAt: Timestamp.nullable(),
    updatedAt: Timestamp,
    version: z.number().int(),
  }),
  'ArticlePage',
);

export const RevisionPage = pageOf(
  z.object({
    revision: z.number().int(),
    content: z
      .object({ title: z.string(), body: z.string(), category: z.string(), tags: z.array(z.string()), audience: z.array(z.string()), language: z.string() })
      .loose(),
    authorId: z.string(),
    publishedBy: z.string(),
    publishedAt: Timestamp,
  }),
  'ArticleRevisionPage',
);

export const SearchHitResource = z
  .object({
    kind: z.enum(['article', 'known_error']),
    id: z.string(),
    number: z.string(),
    title: z.string(),
    snippet: z.string().meta({ description: 'Plain text around the first match' }),
    category: z.string().nullable(),
    score: z.number(),
  })
  .meta({ id: 'SearchHit' });
export const SearchResult = z
  .object({ items: z.array(SearchHitResource), terms: z.array(z.string()).meta({ description: 'The query as tokenised' }) })
  .meta({ id: 'SearchResult' });

export const SuggestionsResource = z
  .object({
    knownErrors: z.array(
      z.object({ problemId: z.string(), number: z.string(), title: z.string(), symptoms: z.string(), workaround: z.string(), matchedCiId: Identifier }),
    ),
    articles: z.array(SearchHitResource),
  })
  .meta({ id: 'Suggestions' });

const PeriodResource = z.object({
  month: Month,
  published: z.number().int().meta({ description: 'Articles published for the first time (accumulation)' }),
  republished: z.number().int(),
  retired: z.number().int(),
  resolved: z.number().int(),
  resolvedWithKnowledge: z.number().int(),
  resolvedWithArticle: z.number().int(),
  resolvedWithKnownError: z.number().int(),
  utilisationRate: z.number().nullable().meta({ description: 'resolvedWithKnowledge / resolved; null with no resolutions' }),
  views: z.number().int(),
  helpful: z.number().int(),
  notHelpful: z.number().int(),
});
export const KnowledgeMetrics = z
  .object({
    from: Month,
    to: Month,
    periods: z.array(PeriodResource),
    accumulation: z.object({ publishedInRange: z.number().int(), live: z.number().int().meta({ description: 'Published, not retired articles now' }) }),
    utilisationRate: z.number().nullable(),
    updateRate: z.number().nullable().meta({ description: 'Republications in the range / live articles' }),
    completenessRate: z.number().nullable().meta({ description: 'Live articles with every required section / live articles' }),
    helpfulRate: z.number().nullable().meta({ description: 'helpful / all votes in the range' }),
    views: z.number().int(),
  })
  .meta({ id: 'KnowledgeMetrics' });
