/**
 * Routes of the knowledge base: articles and their review cycle, search
 * over articles and known errors, suggestions for an incident, feedback
 * and metrics. Handlers import their practice's routes only.
 * @module
 */
import type * as z from 'zod';
import { HistoryPage } from '#shared/http/common-schemas.js';
import { ANY_ROLE, defineRoute, READ_PROBLEMS, WRITE_PROBLEMS } from '#shared/http/route.js';
import {
  ArticleIdParams,
  ArticlePage,
  ArticleResource,
  CreateArticleBody,
  EmptyBody,
  FeedbackBody,
  IncidentIdParams,
  KnowledgeMetrics,
  ListArticlesQuery,
  MetricsQuery,
  PageOnlyQuery,
  ReasonBody,
  RevisionPage,
  SearchQuery,
  SearchResult,
  SuggestionsResource,
  UpdateArticleBody,
} from './schemas.js';

const STAFF = ['agent'] as const;
/** Room for a body over the stored limit to reach the rule that answers 422 with the limit. */
const ARTICLE_BODY_BYTES = 512 * 1024;

/**
 * Routes on one article admit every role (so a requester hears 404 for what
 * they cannot read, 403 for what they can read but not change): staff-only
 * actions are refused after the article is found.
 */
function action(operation: string, path: string, summary: string, body: z.ZodType) {
  return defineRoute({
    operationId: operation,
    method: 'POST',
    path: `/knowledge/articles/{id}/${path}`,
    summary,
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    body,
    response: { status: 200, description: 'The article after the action', schema: ArticleResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'knowledge/article-action',
  });
}

export const articleActionRoutes = {
  submitArticle: action('submitArticle', 'submit', 'Submit the working copy for review', EmptyBody),
  publishArticle: action('publishArticle', 'publish', 'Publish the revision under review (a reviewer other than its author); sets the review date', EmptyBody),
  rejectArticle: action('rejectArticle', 'reject', 'Send the working copy back to its author', ReasonBody),
  retireArticle: action('retireArticle', 'retire', 'Withdraw the article from readers and search', ReasonBody),
} as const;

export const knowledgeRoutes = {
  createArticle: defineRoute({
    operationId: 'createArticle',
    method: 'POST',
    path: '/knowledge/articles',
    summary: 'Draft a knowledge article',
    description: 'Markdown body up to 50 000 bytes (422 above). Send `Idempotency-Key` to make retries safe.',
    tag: 'Knowledge',
    roles: STAFF,
    body: CreateArticleBody,
    response: { status: 201, description: 'The new draft', schema: ArticleResource },
    problems: WRITE_PROBLEMS,
    idempotent: true,
    access: 'write',
    handler: 'knowledge/create-article',
    maxBodyBytes: ARTICLE_BODY_BYTES,
  }),
  listArticles: defineRoute({
    operationId: 'listArticles',
    method: 'GET',
    path: '/knowledge/articles',
    summary: 'Articles, soonest review date first; by status, or those due for review',
    tag: 'Knowledge',
    roles: STAFF,
    query: ListArticlesQuery,
    response: { status: 200, description: 'A page of articles', schema: ArticlePage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/list-articles',
  }),
  getArticle: defineRoute({
    operationId: 'getArticle',
    method: 'GET',
    path: '/knowledge/articles/{id}',
    summary: 'Read an article (counts a view)',
    description: 'Requesters read published requester articles only (others answer 404), and see the published revision.',
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    response: { status: 200, description: 'The article', schema: ArticleResource },
    problems: READ_PROBLEMS,
    // Counting the view is a write (to counters, not to the record).
    access: 'write',
    handler: 'knowledge/get-article',
  }),
  updateArticle: defineRoute({
    operationId: 'updateArticle',
    method: 'PATCH',
    path: '/knowledge/articles/{id}',
    summary: 'Edit the working copy (a published article starts its next revision)',
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    body: UpdateArticleBody,
    response: { status: 200, description: 'The article', schema: ArticleResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'knowledge/update-article',
    maxBodyBytes: ARTICLE_BODY_BYTES,
  }),
  listArticleRevisions: defineRoute({
    operationId: 'listArticleRevisions',
    method: 'GET',
    path: '/knowledge/articles/{id}/revisions',
    summary: 'Every published revision, oldest first, as it was published',
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    query: PageOnlyQuery,
    response: { status: 200, description: 'A page of revisions', schema: RevisionPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/list-article-revisions',
  }),
  getArticleHistory: defineRoute({
    operationId: 'getArticleHistory',
    method: 'GET',
    path: '/knowledge/articles/{id}/history',
    summary: "An article's audit trail",
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    query: PageOnlyQuery,
    response: { status: 200, description: 'A page of audit entries', schema: HistoryPage },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/get-article-history',
  }),
  rateArticle: defineRoute({
    operationId: 'rateArticle',
    method: 'POST',
    path: '/knowledge/articles/{id}/feedback',
    summary: 'Was this helpful? One vote per user and article (409 on a second)',
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: ArticleIdParams,
    body: FeedbackBody,
    response: { status: 204, description: 'Counted' },
    problems: WRITE_PROBLEMS,
    access: 'write',
    handler: 'knowledge/rate-article',
  }),
  searchKnowledge: defineRoute({
    operationId: 'searchKnowledge',
    method: 'GET',
    path: '/knowledge/search',
    summary: 'Relevance-ranked search over published articles and known errors (Chinese and English)',
    description: 'Requesters find published requester articles only; known errors are for staff.',
    tag: 'Knowledge',
    roles: ANY_ROLE,
    query: SearchQuery,
    response: { status: 200, description: 'Hits, best first', schema: SearchResult },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/search-knowledge',
  }),
  getIncidentSuggestions: defineRoute({
    operationId: 'getIncidentSuggestions',
    method: 'GET',
    path: '/incidents/{id}/suggestions',
    summary: "Known errors and articles for an incident's page",
    tag: 'Knowledge',
    roles: ANY_ROLE,
    params: IncidentIdParams,
    response: { status: 200, description: 'Suggestions', schema: SuggestionsResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/get-incident-suggestions',
  }),
  getKnowledgeMetrics: defineRoute({
    operationId: 'getKnowledgeMetrics',
    method: 'GET',
    path: '/knowledge/metrics',
    summary: 'Accumulation, utilisation, update rate, completeness, views and votes, per month (from counters)',
    tag: 'Knowledge',
    roles: STAFF,
    query: MetricsQuery,
    response: { status: 200, description: 'Metrics', schema: KnowledgeMetrics },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'knowledge/get-knowledge-metrics',
  }),
  ...articleActionRoutes,
} as const;
