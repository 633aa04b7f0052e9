/**
 * A tenant's change model: the risk questionnaire normal changes are
 * assessed with, and the catalogue of pre-approved standard-change
 * templates. Validated here, stored as one versioned setting.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import { defaultRiskQuestionnaire, riskQuestionnaireSchema } from './change-risk.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const changeTemplateSchema = z.strictObject({
  id: z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -'),
  name: text(200),
  category: text(100),
  implementationPlan: text(10_000),
  testPlan: text(10_000),
  backoutPlan: text(10_000),
});

export const changeModelSchema = z
  .strictObject({
    riskQuestionnaire: riskQuestionnaireSchema,
    templates: z.array(changeTemplateSchema).max(200).default([]),
  })
  .refine((model) => new Set(model.templates.map((template) => template.id)).size === model.templates.length, {
    message: 'Template ids must be unique.',
    path: ['templates'],
  });
export type ChangeModel = z.output<typeof changeModelSchema>;

/** The default questionnaire and one template most teams start with. */
export function defaultChangeModel(): ChangeModel {
  return {
    riskQuestionnaire: defaultRiskQuestionnaire(),
    templates: [
      {
        id: 'os-patch',
        name: 'Monthly OS security patch',
        category: 'patching',
        implementationPlan: 'Drain the node, apply the vendor security patches, reboot, return the node to service.',
        testPlan: 'Health checks green and the service smoke test passes on the node.',
        backoutPlan: 'Reinstall the previous package versions from the local cache and reboot.',
      },
    ],
  };
}
