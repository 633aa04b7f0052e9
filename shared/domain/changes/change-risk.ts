/**
 * Change risk from a per-tenant questionnaire (after ServiceNow's risk
 * assessment): each question offers answers with a weight; the sum of the
 * chosen weights is the score, and two thresholds turn it into low /
 * medium / high. Pure.
 * @module
 */
import * as z from 'zod';
import { UnprocessableError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const Key = z.string().regex(SAFE_ID);

export const riskQuestionnaireSchema = z
  .strictObject({
    questions: z
      .array(
        z.strictObject({
          id: Key,
          text: z.string().trim().min(1).max(500),
          options: z
            .array(z.strictObject({ id: Key, label: z.string().trim().min(1).max(200), weight: z.number().int().min(0).max(100) }))
            .min(2)
            .max(10),
        }),
      )
      .min(1)
      .max(30),
    /** Scores at or above `medium` are medium risk, at or above `high` high. */
    thresholds: z.strictObject({ medium: z.number().int().min(1), high: z.number().int().min(1) }),
  })
  .superRefine((questionnaire, ctx) => {
    if (questionnaire.thresholds.high <= questionnaire.thresholds.medium) {
      ctx.addIssue({ code: 'custom', message: 'The high threshold must be above the medium one.', path: ['thresholds', 'high'] });
    }
    const ids = questionnaire.questions.map((question) => question.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Question ids must be unique.', path: ['questions'] });
  });
export type RiskQuestionnaire = z.output<typeof riskQuestionnaireSchema>;

/** Five questions a CAB asks of every change; max score 18. */
export function defaultRiskQuestionnaire(): RiskQuestionnaire {
  return {
    questions: [
      {
        id: 'users-affected',
        text: 'How many users would an outage affect?',
        options: [
          { id: 'none', label: 'None', weight: 0 },
          { id: 'team', label: 'One team', weight: 2 },
          { id: 'many', label: 'Many teams or customers', weight: 4 },
        ],
      },
      {
        id: 'complexity',
        text: 'How complex is the implementation?',
        options: [
          { id: 'simple', label: 'Simple, done before', weight: 0 },
          { id: 'moderate', label: 'Moderate', weight: 2 },
          { id: 'complex', label: 'Complex or new', weight: 4 },
        ],
      },
      {
        id: 'tested',
        text: 'Was it tested in a production-like environment?',
        options: [
          { id: 'yes', label: 'Yes', weight: 0 },
          { id: 'partly', label: 'Partly', weight: 2 },
          { id: 'no', label: 'No', weight: 4 },
        ],
      },
      {
        id: 'backout',
        text: 'Can it be backed out?',
        options: [
          { id: 'proven', label: 'Yes, backout rehearsed', weight: 0 },
          { id: 'untested', label: 'Yes, not rehearsed', weight: 2 },
          { id: 'none', label: 'No', weight: 4 },
        ],
      },
      {
        id: 'outage',
        text: 'Does it need a service outage?',
        options: [
          { id: 'no', label: 'No', weight: 0 },
          { id: 'window', label: 'Within the maintenance window', weight: 1 },
          { id: 'yes', label: 'Yes, outside any window', weight: 2 },
        ],
      },
    ],
    thresholds: { medium: 5, high: 10 },
  };
}

/** The score and level of a set of answers (question id → option id); every question must be answered. */
export function assessRisk(questionnaire: RiskQuestionnaire, answers: Readonly<Record<string, string>>): { score: number; risk: RiskLevel } {
  const unknown = Object.keys(answers).filter((id) => !questionnaire.questions.some((question) => question.id === id));
  if (unknown.length > 0) throw new UnprocessableError(`Unknown risk questions: ${unknown.join(', ')}.`, { unknownQuestions: unknown });
  let score = 0;
  const problems: string[] = [];
  for (const question of questionnaire.questions) {
    const answer = answers[question.id];
    const option = question.options.find((candidate) => candidate.id === answer);
    if (!option) problems.push(answer === undefined ? `${question.id}: unanswered` : `${question.id}: no option '${answer}'`);
    else score += option.weight;
  }
  if (problems.length > 0) throw new UnprocessableError(`The risk questionnaire is incomplete: ${problems.join('; ')}.`, { problems });
  return { score, risk: riskLevelOf(questionnaire.thresholds, score) };
}

export function riskLevelOf(thresholds: RiskQuestionnaire['thresholds'], score: number): RiskLevel {
  if (score >= thresholds.high) return 'high';
  return score >= thresholds.medium ? 'medium' : 'low';
}
