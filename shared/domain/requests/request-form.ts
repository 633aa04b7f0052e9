/**
 * The form of a catalogue item: typed fields (text, number, choice,
 * multi-choice, date, user, CI reference), required and conditional rules,
 * and the one pure check of a requester's answers against it. A condition
 * is declarative (a field equals a value, is one of some values, or is
 * answered) and may only name an earlier field, so a form can never loop
 * and no tenant text ever reaches a regular expression.
 * @module
 */
import * as z from 'zod';
import type { FieldError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';

export const FIELD_TYPES = ['text', 'number', 'choice', 'multi-choice', 'date', 'user', 'ci'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field keys name answers in JSON and in error paths: short, plain. */
const FieldKey = z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'Use a letter then up to 39 letters, digits or _.');
const OptionValue = z.string().trim().min(1).max(100);

export const fieldConditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('equals'), field: FieldKey, value: z.union([z.string().max(100), z.number(), z.boolean()]) }),
  z.strictObject({ op: z.literal('in'), field: FieldKey, values: z.array(OptionValue).min(1).max(50) }),
  z.strictObject({ op: z.literal('answered'), field: FieldKey }),
]);
export type FieldCondition = z.output<typeof fieldConditionSchema>;

export const formFieldSchema = z.strictObject({
  key: FieldKey,
  label: z.string().trim().min(1).max(200),
  type: z.enum(FIELD_TYPES),
  help: z.string().max(500).nullable().default(null),
  /** Must be answered whenever the field applies. */
  required: z.boolean().default(false),
  /** The field applies only when this holds; otherwise it must be left out. */
  when: fieldConditionSchema.nullable().default(null),
  /** The choices of a choice or multi-choice field. */
  options: z.array(OptionValue).max(100).default([]),
  min: z.number().nullable().default(null),
  max: z.number().nullable().default(null),
  /** Longest text answer. */
  maxLength: z.number().int().min(1).max(4000).default(2000),
});
export type FormField = z.output<typeof formFieldSchema>;

export const requestFormSchema = z.strictObject({ fields: z.array(formFieldSchema).max(40).default([]) }).superRefine((form, ctx) => {
  const seen = new Map<string, FormField>();
  form.fields.forEach((field, index) => {
    if (seen.has(field.key)) ctx.addIssue({ code: 'custom', message: `Duplicate field key '${field.key}'.`, path: ['fields', index, 'key'] });
    const choosing = field.type === 'choice' || field.type === 'multi-choice';
    if (choosing && field.options.length === 0) ctx.addIssue({ code: 'custom', message: 'A choice field needs options.', path: ['fields', index, 'options'] });
    if (!choosing && field.options.length > 0)
      ctx.addIssue({ code: 'custom', message: 'Only choice fields have options.', path: ['fields', index, 'options'] });
    if (field.min !== null && field.max !== null && field.min > field.max) {
      ctx.addIssue({ code: 'custom', message: 'min exceeds max.', path: ['fields', index, 'min'] });
    }
    // Only earlier fields: the form reads top to bottom and conditions cannot form a cycle.
    if (field.when && !seen.has(field.when.field)) {
      ctx.addIssue({
        code: 'custom',
        message: `The condition names '${field.when.field}', which is not an earlier field.`,
        path: ['fields', index, 'when', 'field'],
      });
    }
    seen.set(field.key, field);
  });
});
export type RequestForm = z.output<typeof requestFormSchema>;

/** Answers as submitted: field key → value. */
export type FormAnswers = Readonly<Record<string, unknown>>;

function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Whether the condition holds for `answers` (an unanswered field equals nothing). */
export function conditionHolds(condition: FieldCondition, answers: FormAnswers): boolean {
  const value = answers[condition.field];
  switch (condition.op) {
    case 'answered':
      return isAnswered(value);
    case 'equals':
      return Array.isArray(value) ? value.includes(condition.value) : value === condition.value;
    case 'in':
      return Array.isArray(value) ? value.some((one) => condition.values.includes(one as string)) : condition.values.includes(value as string);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** What is wrong with one answered value of `field`, or null. */
function typeProblem(field: FormField, value: unknown): string | null {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return 'Must be text.';
      return value.length > field.maxLength ? `At most ${field.maxLength} characters.` : null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number.';
      if (field.min !== null && value < field.min) return `Must be at least ${field.min}.`;
      if (field.max !== null && value > field.max) return `Must be at most ${field.max}.`;
      return null;
    case 'choice':
      return typeof value === 'string' && field.options.includes(value) ? null : `Must be one of: ${field.options.join(', ')}.`;
    case 'multi-choice': {
      if (!Array.isArray(value) || value.some((one) => typeof one !== 'string' || !field.options.includes(one))) {
        return `Must be a list of: ${field.options.join(', ')}.`;
      }
      if (new Set(value).size !== value.length) return 'Lists a choice twice.';
      if (field.min !== null && value.length < field.min) return `Choose at least ${field.min}.`;
      if (field.max !== null && value.length > field.max) return `Choose at most ${field.max}.`;
      return null;
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'Must be a date (YYYY-MM-DD).';
    case 'user':
    case 'ci':
      // The same shape as every id that ends up in a key; whether it exists is the fulfilling group's to check.
      return typeof value === 'string' && SAFE_ID.test(value) ? null : `Must be a ${field.type === 'user' ? 'user' : 'CI'} id.`;
  }
}

/** Bounds the work one submission can cause: a form has at most 40 fields. */
const MAX_ANSWERS = 100;

/**
 * Every fault of `answers` against `form`, one entry per field at fault
 * (`answers.<key>`): unknown fields, required fields left out, fields
 * answered where their condition does not hold, wrong types and ranges.
 * Empty when the answers are good.
 */
export function validateAnswers(form: RequestForm, answers: FormAnswers): FieldError[] {
  const errors: FieldError[] = [];
  const keys = Object.keys(answers);
  if (keys.length > MAX_ANSWERS) return [{ field: 'answers', message: `At most ${MAX_ANSWERS} answers.` }];
  const known = new Set(form.fields.map((field) => field.key));
  for (const key of keys) if (!known.has(key)) errors.push({ field: `answers.${key}`, message: 'Not a field of this form.' });
  for (const field of form.fields) {
    const value = answers[field.key];
    const applies = field.when === null || conditionHolds(field.when, answers);
    if (!applies) {
      if (isAnswered(value)) errors.push({ field: `answers.${field.key}`, message: `Applies only when ${describeCondition(field.when as FieldCondition)}.` });
      continue;
    }
    if (!isAnswered(value)) {
      if (field.required) errors.push({ field: `answers.${field.key}`, message: `${field.label} is required.` });
      continue;
    }
    const problem = typeProblem(field, value);
    if (problem) errors.push({ field: `answers.${field.key}`, message: problem });
  }
  return errors;
}

function describeCondition(condition: FieldCondition): string {
  switch (condition.op) {
    case 'answered':
      return `'${condition.field}' is answered`;
    case 'equals':
      return `'${condition.field}' is ${JSON.stringify(condition.value)}`;
    case 'in':
      return `'${condition.field}' is one of ${condition.values.join(', ')}`;
  }
}

/** The answers kept on the request: only the fields that apply, blanks left out. */
export function keptAnswers(form: RequestForm, answers: FormAnswers): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const field of form.fields) {
    const applies = field.when === null || conditionHolds(field.when, answers);
    if (applies && isAnswered(answers[field.key])) kept[field.key] = answers[field.key];
  }
  return kept;
}

/**
 * What a request says, for the knowledge suggestions a create offers (the
 * same search an incident's create runs): the item's name and description,
 * then the text and choice answers in form order (a laptop model, the
 * system a password is for); and the first CI named by a CI field, whose
 * known errors come first. Bounded: the search cuts the description.
 */
export function suggestionQuery(
  form: RequestForm,
  item: { name: string; description: string },
  answers: FormAnswers,
): { title: string; description: string; ciId: string | null } {
  const said = form.fields.flatMap((field) => {
    const value = answers[field.key];
    if (field.type === 'text' || field.type === 'choice') return typeof value === 'string' ? [value] : [];
    if (field.type === 'multi-choice') return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
    return [];
  });
  const ci = form.fields.find((field) => field.type === 'ci' && typeof answers[field.key] === 'string');
  return { title: item.name, description: [item.description, ...said].join(' ').trim(), ciId: ci ? (answers[ci.key] as string) : null };
}
