/**
 * Knowledge metrics (seed 002 §3.2, §4.1; formulas ours, DOMAIN-NEXT):
 * accumulation (articles published per month, live now), utilisation rate
 * (tickets resolved with an article or known error / resolved tickets),
 * update rate (republications / live articles), completeness (live
 * articles with every required section / live articles), views and
 * helpful votes. Pure arithmetic over counters.
 * @module
 */
import { UnprocessableError } from '#shared/domain/errors.js';

/** At most two years per request: one BatchGetItem reads them. */
export const MAX_MONTHS = 24;

/** Every month from `from` (default: 11 before `to`) to `to`, inclusive. */
export function monthsBetween(from: string | undefined, to: string): string[] {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  const last = index(to);
  const first = from === undefined ? last - 11 : index(from);
  if (first > last) throw new UnprocessableError('`from` is after `to`.', { field: 'from' });
  if (last - first + 1 > MAX_MONTHS) throw new UnprocessableError(`At most ${MAX_MONTHS} months at a time.`, { field: 'from' });
  return Array.from({ length: last - first + 1 }, (_, i) => {
    const n = first + i;
    return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  });
}

type Counts = Readonly<Record<string, number>>;
const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export function knowledgeMetrics(months: readonly string[], periods: ReadonlyMap<string, Counts>, totals: { articlesLive: number; articlesComplete: number }) {
  const rows = months.map((month) => {
    const c = periods.get(month) ?? {};
    const get = (name: string) => c[name] ?? 0;
    return {
      month,
      published: get('published'),
      republished: get('republished'),
      retired: get('retired'),
      resolved: get('resolved'),
      resolvedWithKnowledge: get('resolvedWithKnowledge'),
      resolvedWithArticle: get('resolvedWithArticle'),
      resolvedWithKnownError: get('resolvedWithKnownError'),
      utilisationRate: ratio(get('resolvedWithKnowledge'), get('resolved')),
      views: get('views'),
      helpful: get('helpful'),
      notHelpful: get('notHelpful'),
    };
  });
  const sum = (name: keyof (typeof rows)[number]) => rows.reduce((total, row) => total + (row[name] as number), 0);
  return {
    from: months[0] as string,
    to: months.at(-1) as string,
    periods: rows,
    accumulation: { publishedInRange: sum('published'), live: totals.articlesLive },
    utilisationRate: ratio(sum('resolvedWithKnowledge'), sum('resolved')),
    updateRate: ratio(sum('republished'), totals.articlesLive),
    completenessRate: ratio(totals.articlesComplete, totals.articlesLive),
    helpfulRate: ratio(sum('helpful'), sum('helpful') + sum('notHelpful')),
    views: sum('views'),
  };
}
