/**
 * What a caller sends to raise a normal change for unit and data tests: one
 * CI, every required text, the window given, with `overrides` on top.
 */
import type { NewChangeInput } from '#shared/domain/changes/change.js';

export function changeInput(plannedStart: string, plannedEnd: string, overrides: Partial<NewChangeInput> = {}): NewChangeInput {
  return {
    type: 'normal',
    title: 'Patch',
    description: 'd',
    justification: 'j',
    category: 'c',
    implementationPlan: 'i',
    testPlan: 't',
    backoutPlan: 'b',
    ciIds: ['db-01'],
    serviceIds: [],
    plannedStart,
    plannedEnd,
    ...overrides,
  };
}
