/**
 * Knowledge articles (`KB…`, seeds 002 §1.7, §2, §3.2; 003 §5.3): content,
 * audience, versions and the review rule. The working copy moves draft →
 * in review → published; a reviewer other than its author publishes it;
 * every published revision is kept (the data layer stores each one), and
 * a published article stays readable while its next revision is drafted.
 * Retiring withdraws it. A published article is due for review after the
 * tenant's review interval (default 12 months) and is flagged once due.
 * Pure rules: nothing here does I/O.
 * @module
 */
import { ForbiddenError, IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import { type Actor, isStaff } from '#shared/domain/roles.js';

export const ARTICLE_STATUSES = ['draft', 'in_review', 'published', 'retired'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const ARTICLE_ACTIONS = ['edit', 'submit', 'publish', 'reject', 'retire'] as const;
export type ArticleAction = (typeof ARTICLE_ACTIONS)[number];
export const AUDIENCES = ['requesters', 'agents'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const LINK_KINDS = ['problem', 'known_error', 'incident', 'service', 'ci', 'article', 'url'] as const;

/** The largest Markdown body accepted, in UTF-8 bytes: the record keeps a working and a published copy under DynamoDB's 400 KB item limit. */
export const MAX_BODY_BYTES = 50_000;
/** Months after publishing until an article is due for review (DOMAIN-NEXT default). */
export const REVIEW_MONTHS = 12;

export interface ArticleContent {
  readonly title: string;
  /** Markdown; rendered with raw HTML disabled (see the HTTP layer). */
  readonly body: string;
  readonly category: string;
  readonly tags: readonly string[];
  /** `requesters`: also shown to requesters (self-service); agents always see every article. */
  readonly audience: readonly Audience[];
  /** BCP 47 tag (`zh-CN`, `en`). */
  readonly language: string;
  readonly links: readonly { readonly kind: (typeof LINK_KINDS)[number]; readonly ref: string }[];
}

export interface PublishedRevision {
  readonly revision: number;
  readonly content: ArticleContent;
  readonly authorId: string;
  readonly publishedBy: string;
  readonly publishedAt: string;
}

export interface Article {
  readonly tenantId: string;
  readonly id: string;
  readonly number: string;
  readonly status: ArticleStatus;
  /** The working copy (what an edit changes and a review judges). */
  readonly content: ArticleContent;
  readonly revision: number;
  /** Who last edited the working copy: never its publisher. */
  readonly authorId: string;
  readonly review: { readonly submittedAt: string | null; readonly rejection: { readonly by: string; readonly reason: string } | null };
  /** The revision readers see; stays while the next one is drafted. */
  readonly published: PublishedRevision | null;
  readonly reviewDueAt: string | null;
  readonly retired: { readonly at: string; readonly by: string; readonly reason: string } | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type ArticleEventType = 'ArticleCreated' | 'ArticleUpdated' | 'ArticleSubmitted' | 'ArticleRejected' | 'ArticlePublished' | 'ArticleRetired';

export interface ArticleChange extends RecordChange<ArticleEventType, ArticleAction | 'create'> {
  readonly article: Article;
}

export interface ArticleContext {
  readonly actor: Pick<Actor, 'userId' | 'roles'>;
  readonly now: string;
}

function checkContent(content: ArticleContent): ArticleContent {
  const bytes = Buffer.byteLength(content.body, 'utf8');
  if (bytes > MAX_BODY_BYTES)
    throw new UnprocessableError(`The body is ${bytes} bytes; at most ${MAX_BODY_BYTES} are accepted.`, { field: 'body', limit: MAX_BODY_BYTES });
  if (content.audience.length === 0) throw new UnprocessableError('Name at least one audience.', { field: 'audience' });
  return { ...content, tags: [...new Set(content.tags)], audience: [...new Set(content.audience)] };
}

function diff(before: Article | null, after: Article): FieldChange[] {
  const fields: (keyof Article)[] = ['status', 'revision', 'content', 'reviewDueAt', 'retired'];
  return fields.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to)
      ? []
      : [{ field, from: field === 'content' ? '(previous revision)' : from, to: field === 'content' ? `revision ${after.revision}` : to }];
  });
}

export function createArticle(content: ArticleContent, identity: { tenantId: string; id: string; number: string }, ctx: ArticleContext): ArticleChange {
  const article: Article = {
    ...identity,
    status: 'draft',
    content: checkContent(content),
    revision: 1,
    authorId: ctx.actor.userId,
    review: { submittedAt: null, rejection: null },
    published: null,
    reviewDueAt: null,
    retired: null,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return { article, action: 'create', eventType: 'ArticleCreated', changes: diff(null, article), facts: {} };
}

const FROM: Record<ArticleAction, readonly ArticleStatus[]> = {
  edit: ['draft', 'published'],
  submit: ['draft'],
  publish: ['in_review'],
  reject: ['in_review'],
  retire: ['draft', 'in_review', 'published'],
};

export function allowedArticleActions(status: ArticleStatus): ArticleAction[] {
  return ARTICLE_ACTIONS.filter((action) => FROM[action].includes(status));
}

export type ArticleCommand =
  | { readonly action: 'edit'; readonly content: Partial<ArticleContent> }
  | { readonly action: 'submit' }
  | { readonly action: 'publish'; readonly reviewMonths: number }
  | { readonly action: 'reject'; readonly reason: string }
  | { readonly action: 'retire'; readonly reason: string };

function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

const EVENT_OF: Record<ArticleAction, ArticleEventType> = {
  edit: 'ArticleUpdated',
  submit: 'ArticleSubmitted',
  publish: 'ArticlePublished',
  reject: 'ArticleRejected',
  retire: 'ArticleRetired',
};

/** Applies a command; a transition the life cycle forbids is a 409 listing the allowed actions. */
export function applyArticleCommand(article: Article, command: ArticleCommand, ctx: ArticleContext): ArticleChange {
  if (!FROM[command.action].includes(article.status)) throw new IllegalTransitionError(command.action, article.status, allowedArticleActions(article.status));
  const base = { updatedAt: ctx.now, updatedBy: ctx.actor.userId, version: article.version + 1 };
  let next: Article;
  let facts: Record<string, unknown> = {};
  switch (command.action) {
    case 'edit': {
      // Editing a published article starts its next revision; readers keep the published one meanwhile.
      const startsRevision = article.status === 'published';
      next = {
        ...article,
        ...base,
        status: 'draft',
        content: checkContent({ ...article.content, ...command.content }),
        revision: startsRevision ? article.revision + 1 : article.revision,
        authorId: ctx.actor.userId,
        review: { submittedAt: null, rejection: null },
      };
      facts = { revision: next.revision, startsRevision };
      break;
    }
    case 'submit':
      next = { ...article, ...base, status: 'in_review', review: { submittedAt: ctx.now, rejection: null } };
      break;
    case 'reject':
      next = { ...article, ...base, status: 'draft', review: { submittedAt: null, rejection: { by: ctx.actor.userId, reason: command.reason } } };
      facts = { reason: command.reason };
      break;
    case 'publish': {
      if (ctx.actor.userId === article.authorId) throw new ForbiddenError('A reviewer other than the author publishes an article.');
      const published: PublishedRevision = {
        revision: article.revision,
        content: article.content,
        authorId: article.authorId,
        publishedBy: ctx.actor.userId,
        publishedAt: ctx.now,
      };
      next = { ...article, ...base, status: 'published', published, reviewDueAt: addMonths(ctx.now, command.reviewMonths), retired: null };
      facts = { revision: article.revision, firstPublication: article.published === null, complete: completeness(article.content).complete };
      break;
    }
    case 'retire':
      next = { ...article, ...base, status: 'retired', reviewDueAt: null, retired: { at: ctx.now, by: ctx.actor.userId, reason: command.reason } };
      facts = { reason: command.reason, wasPublished: article.published !== null };
      break;
  }
  return { article: next, action: command.action, eventType: EVENT_OF[command.action], changes: diff(article, next), facts };
}

/** Whether `actor` may read `article`: staff always; requesters only a live published revision meant for them. */
export function canRead(actor: Pick<Actor, 'roles'>, article: Pick<Article, 'status' | 'published'>): boolean {
  if (isStaff(actor)) return true;
  return article.status !== 'retired' && article.published !== null && article.published.content.audience.includes('requesters');
}

/** Published but past its review date: flagged for the owner to confirm or revise. */
export function isReviewOverdue(article: Pick<Article, 'reviewDueAt' | 'status'>, now: string): boolean {
  return article.status !== 'retired' && article.reviewDueAt !== null && article.reviewDueAt <= now;
}

/**
 * The sections a complete article has (seed 002 §1.7: common problems with
 * description, analysis and resolution): Markdown headings naming each, in
 * English or Chinese, plus a category and at least one tag.
 */
export const REQUIRED_SECTIONS: Readonly<Record<'description' | 'cause' | 'resolution', readonly string[]>> = {
  description: ['description', 'symptom', 'problem', '描述', '现象', '症状', '问题'],
  cause: ['cause', 'analysis', '原因', '分析'],
  resolution: ['resolution', 'solution', 'workaround', 'fix', 'steps', '解决', '处理', '方法', '步骤'],
};

export function completeness(content: Pick<ArticleContent, 'body' | 'tags' | 'category'>): { complete: boolean; missing: string[] } {
  const headings = content.body
    .split('\n')
    .filter((line) => line.trimStart().startsWith('#'))
    .map((line) => line.toLowerCase());
  const missing: string[] = (Object.keys(REQUIRED_SECTIONS) as (keyof typeof REQUIRED_SECTIONS)[]).filter(
    (section) => !headings.some((heading) => REQUIRED_SECTIONS[section].some((word) => heading.includes(word))),
  );
  if (content.tags.length === 0) missing.push('tags');
  return { complete: missing.length === 0, missing };
}
