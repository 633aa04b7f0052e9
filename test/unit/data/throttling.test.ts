import { describe, expect, it } from 'vitest';
import { translateThrottling } from '#shared/data/throttling.js';
import { TooManyRequestsError } from '#shared/domain/errors.js';

describe('translateThrottling', () => {
  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'])('%s becomes a 429', (name) => {
    const error = Object.assign(new Error('slow down'), { name });
    const translated = translateThrottling(error);
    expect(translated).toBeInstanceOf(TooManyRequestsError);
    expect((translated as TooManyRequestsError).kind).toBe('too-many-requests');
  });

  it.each(['ConditionalCheckFailedException', 'ValidationException', 'TypeError'])('%s is left alone', (name) => {
    const error = Object.assign(new Error('other'), { name });
    expect(translateThrottling(error)).toBe(error);
  });
});
