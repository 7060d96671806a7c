/**
 * The analysis plan's defaults, shared by the schema (which fills them in) and the default plan
 * of a protocol without an analysis section (built without zod, so worker threads never load it).
 */
export const PLAN_DEFAULTS = {
  alpha: 0.05,
  sided: 'two',
  population: 'randomised',
  multiplicity: { primary: 'none', secondary: 'holm' },
} as const;
