/** Small zod building blocks shared by the cohort and protocol schemas. */
import { z } from 'zod';
import { closestName } from '../util/closest-name.js';
import { looksLikeFormula, RESERVED_KEY } from '../util/spreadsheet-safety.js';

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
import { RESERVED_MESSAGE, SAFE_NAME_RULES } from './safe-name.js';
export { unsafeNameReason } from './safe-name.js';

/**
 * A name usable in expressions and as an id (covariates, arms, endpoints, biomarkers, criteria,
 * scenarios): letters, digits and underscores, not starting with a digit, and not "__proto__".
 * Such a name can never begin a spreadsheet formula.
 */
export const identifier = z
  .string({ error: 'expected a name' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected a name of letters, digits and _ (not starting with a digit)' })
  .refine((s) => s !== RESERVED_KEY, { message: RESERVED_MESSAGE });

/**
 * A free-form name that is also a key or a value written into CSV files as is (category levels,
 * adverse-event terms): one line of text, not "__proto__", and not beginning with =, +, -, @
 * (unless it is a number), which a spreadsheet would run as a formula.
 */
export const safeName = SAFE_NAME_RULES.slice(1).reduce<z.ZodType<string>>((schema, [ok, message]) => schema.refine(ok, { message }), text);
