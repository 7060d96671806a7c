/** The schema of a protocol's `limits` section: each limit of limits.ts, a positive integer. */
import type { z } from 'zod';
import { LIMITS, type LimitName } from './limits.js';
import { positiveInt, strictObject } from './zod-helpers.js';

export const limitsSchema = strictObject(
  Object.fromEntries(Object.keys(LIMITS).map((k) => [k, positiveInt.optional()])) as Record<LimitName, z.ZodOptional<typeof positiveInt>>,
);
