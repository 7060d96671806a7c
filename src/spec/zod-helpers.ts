/** Small zod building blocks shared by the cohort and protocol schemas. */
import { z } from 'zod';
import { closestName } from '../util/closest-name.js';

/**
 * A strict object: unknown keys are errors (a typo must not silently fall back to a default),
 * with a "did you mean" hint and the list of allowed keys.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      const keys = iss.keys as string[];
      const hint = keys.length === 1 ? closestName(keys[0]!, allowed) : undefined;
      return `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}; allowed keys here: ${allowed.join(', ')}`;
    },
  });
}

export const finite = z.number({ error: 'expected a number' }).refine(Number.isFinite, { message: 'expected a finite number' });
export const positive = z.number({ error: 'expected a number > 0' }).gt(0, { message: 'expected a number > 0' }).refine(Number.isFinite, { message: 'expected a finite number' });
export const nonNegative = z.number({ error: 'expected a number >= 0' }).gte(0, { message: 'expected a number >= 0' }).refine(Number.isFinite, { message: 'expected a finite number' });
export const probability = z.number({ error: 'expected a probability (0 to 1)' }).gte(0, { message: 'expected a probability (0 to 1)' }).lte(1, { message: 'expected a probability (0 to 1)' });
export const positiveInt = z.number({ error: 'expected a whole number >= 1' }).int({ message: 'expected a whole number >= 1' }).gte(1, { message: 'expected a whole number >= 1' });
export const nonNegativeInt = z.number({ error: 'expected a whole number >= 0' }).int({ message: 'expected a whole number >= 0' }).gte(0, { message: 'expected a whole number >= 0' });
export const text = z.string({ error: 'expected text' }).min(1, { message: 'must not be empty' });
/** A name usable in expressions: letters, digits and underscores, not starting with a digit. */
export const identifier = z
  .string({ error: 'expected a name' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected a name of letters, digits and _ (not starting with a digit)' });
