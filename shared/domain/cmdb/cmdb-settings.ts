/**
 * A tenant's CMDB settings: its own attributes per class, the pattern its
 * service codes follow, and after how many days an unchanged CI counts as
 * stale in CMDB health.
 * @module
 */
import * as z from 'zod';
import { isTenantPattern } from '../tenant-pattern.js';
import { CI_CLASSES, type CiRules } from './ci.js';

export const CustomAttributeDefinition = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'A letter, then letters, digits or _ (≤ 64)'),
  class: z.union([z.enum(CI_CLASSES), z.literal('*')]).meta({ description: 'A class, or * for every class' }),
  type: z.enum(['string', 'number', 'boolean', 'date']),
  required: z.boolean().default(false).meta({ description: 'Counted as missing in CMDB health when absent; never refused on write' }),
});

export const CmdbSettings = z
  .strictObject({
    serviceCodePattern: z
      .string()
      .max(200)
      .refine(isTenantPattern, 'A valid RE2 regular expression (no backreferences or lookaround)')
      .default('^[A-Z][A-Z0-9-]{1,31}$')
      .meta({ description: 'Service codes must match it (and stay 1–128 of letters, digits, . _ @ : -)', example: '^SVC-[A-Z]{2,4}-\\d{3}$' }),
    staleAfterDays: z.number().int().min(1).max(3650).default(90),
    customAttributes: z
      .array(CustomAttributeDefinition)
      .max(200)
      .default([])
      .refine((list) => new Set(list.map((d) => `${d.class}/${d.name}`)).size === list.length, 'Each class/name once'),
  })
  .meta({ id: 'CmdbSettings' });
export type CmdbSettings = z.infer<typeof CmdbSettings>;

export function defaultCmdbSettings(): CmdbSettings {
  return CmdbSettings.parse({});
}

/** The part of the settings that validates CIs. */
export function ciRulesOf(settings: CmdbSettings): CiRules {
  return { serviceCodePattern: settings.serviceCodePattern, customAttributes: settings.customAttributes };
}
