/**
 * Article rules: the review cycle (a reviewer other than the author
 * publishes), revisions while published, visibility for requesters, the
 * size limit, completeness and the review flag; metrics arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { type Article, applyArticleCommand, canRead, completeness, createArticle, isReviewOverdue, MAX_BODY_BYTES } from '#shared/domain/knowledge/article.js';
import { plainText, renderMarkdown } from '#shared/domain/knowledge/markdown.js';
import { knowledgeMetrics, monthsBetween } from '#shared/domain/knowledge/metrics.js';

const author = { actor: { userId: 'ann', roles: ['agent' as const] }, now: '2026-12-01T10:00:00.000Z' };
const reviewer = { ...author, actor: { userId: 'rev', roles: ['manager' as const] } };
const content = {
  title: 'VPN',
  body: '## 现象\n断开\n## 原因\n超时\n## 解决\n升级',
  category: 'network',
  tags: ['vpn'],
  audience: ['requesters' as const],
  language: 'zh-CN',
  links: [],
};
const draft = (): Article => createArticle(content, { tenantId: 't', id: 'a1', number: 'KB0001001' }, author).article;

describe('articles', () => {
  it('draft → in review → published by another; the author cannot publish', () => {
    const submitted = applyArticleCommand(draft(), { action: 'submit' }, author).article;
    expect(() => applyArticleCommand(submitted, { action: 'publish', reviewMonths: 12 }, author)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    const published = applyArticleCommand(submitted, { action: 'publish', reviewMonths: 12 }, reviewer);
    expect(published).toMatchObject({
      eventType: 'ArticlePublished',
      facts: { firstPublication: true, complete: true },
      article: { status: 'published', reviewDueAt: '2027-12-01T10:00:00.000Z', published: { revision: 1, publishedBy: 'rev' } },
    });
    expect(() => applyArticleCommand(draft(), { action: 'publish', reviewMonths: 12 }, reviewer)).toThrow(
      expect.objectContaining({ kind: 'illegal-transition' }),
    );
  });

  it('editing a published article drafts its next revision; readers keep the published one', () => {
    const submitted = applyArticleCommand(draft(), { action: 'submit' }, author).article;
    const published = applyArticleCommand(submitted, { action: 'publish', reviewMonths: 12 }, reviewer).article;
    const edited = applyArticleCommand(published, { action: 'edit', content: { title: 'VPN v2' } }, reviewer).article;
    expect(edited).toMatchObject({ status: 'draft', revision: 2, authorId: 'rev', published: { revision: 1, content: { title: 'VPN' } } });
    expect(canRead({ roles: ['requester'] }, edited)).toBe(true);
    expect(canRead({ roles: ['requester'] }, draft())).toBe(false);
    expect(
      canRead(
        { roles: ['requester'] },
        { ...published, published: { ...(published.published as NonNullable<Article['published']>), content: { ...content, audience: ['agents'] } } },
      ),
    ).toBe(false);
    expect(canRead({ roles: ['requester'] }, applyArticleCommand(published, { action: 'retire', reason: 'old' }, reviewer).article)).toBe(false);
  });

  it('refuses a body over the limit (422) and flags overdue reviews', () => {
    expect(() => createArticle({ ...content, body: 'x'.repeat(MAX_BODY_BYTES + 1) }, { tenantId: 't', id: 'a', number: 'KB1' }, author)).toThrow(
      expect.objectContaining({ kind: 'unprocessable' }),
    );
    expect(isReviewOverdue({ status: 'published', reviewDueAt: '2026-01-01T00:00:00.000Z' }, author.now)).toBe(true);
    expect(isReviewOverdue({ status: 'published', reviewDueAt: '2027-01-01T00:00:00.000Z' }, author.now)).toBe(false);
  });

  it('completeness names the missing sections', () => {
    expect(completeness(content)).toEqual({ complete: true, missing: [] });
    expect(completeness({ body: '## Symptoms\nx', tags: [], category: 'x' })).toEqual({ complete: false, missing: ['cause', 'resolution', 'tags'] });
  });

  it('Markdown never renders author HTML or script links; plain text drops the syntax', () => {
    const html = renderMarkdown('# T\n<script>alert(1)</script>\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img|href="javascript/);
    expect(plainText('## 现象\n**VPN** 断开 [链接](https://x.example)')).toBe('现象 VPN 断开 链接');
  });
});

describe('knowledge metrics', () => {
  it('months are bounded and ordered', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween(undefined, '2026-12')).toHaveLength(12);
    expect(() => monthsBetween('2024-01', '2026-12')).toThrow(expect.objectContaining({ kind: 'unprocessable' }));
  });

  it('rates come from the counters; no denominator is null', () => {
    const periods = new Map([['2026-12', { published: 2, republished: 1, resolved: 4, resolvedWithKnowledge: 1, helpful: 3, notHelpful: 1, views: 9 }]]);
    const metrics = knowledgeMetrics(['2026-11', '2026-12'], periods, { articlesLive: 2, articlesComplete: 1 });
    expect(metrics).toMatchObject({
      utilisationRate: 0.25,
      updateRate: 0.5,
      completenessRate: 0.5,
      helpfulRate: 0.75,
      views: 9,
      accumulation: { publishedInRange: 2, live: 2 },
    });
    expect(metrics.periods[0]?.utilisationRate).toBeNull();
  });
});
