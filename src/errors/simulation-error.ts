/**
 * A simulated value that is not a finite number (NaN or infinite): the spec's parameter values
 * make a model overflow or divide by zero for some twin (for example a PK rate constant of
 * 1e308, or a formula such as log(age - 40) for a twin aged 38). It is an error, never a twin
 * silently left out of the analysis. The model code throws it with what it knows (model,
 * parameter, detail); the trial loop adds the replicate and the twin. The CLI reports its
 * message on one line with exit code 1 (a runtime failure: `validate` cannot know the values a
 * twin will draw).
 */
export type SimulatedModel = 'cohort' | 'pk' | 'pd' | 'biomarker' | 'endpoint' | 'adverse event' | 'dropout';

export class SimulationError extends Error {
  override name = 'SimulationError';
  constructor(
    readonly model: SimulatedModel,
    /** The parameter or formula concerned, where known (e.g. "ka", "covariates of endpoint OS"). */
    readonly parameter: string | undefined,
    readonly detail: string,
    readonly twin?: { replicate: number; usubjid: string },
  ) {
    super(`${twin ? `${model === 'cohort' ? 'generating' : 'simulating'} twin ${twin.usubjid} of replicate ${twin.replicate + 1}: ` : ''}${model} model${parameter ? `, ${parameter}` : ''}: ${detail} (a simulated value must be a finite number; check the spec's values)`);
  }

  /** The same error, naming the replicate and the twin. */
  forTwin(replicate: number, usubjid: string): SimulationError {
    return new SimulationError(this.model, this.parameter, this.detail, { replicate, usubjid });
  }
}

/**
 * The detail of a formula that a twin's values make non-finite part-way (an ExprEvalError's
 * sub-expression and value): the formula, the twin's inputs and the failing sub-expression.
 */
export function formulaFailure(formula: string, row: Readonly<Record<string, unknown>>, failed: { subexpression: string; value: number }): string {
  return `"${formula}" cannot be evaluated for this twin (${formulaInputs(formula, row) || 'no covariates'}): ${failed.subexpression} is ${failed.value}`;
}

/** The covariates a formula names, with the twin's values: "age = 38.2, weight = 70". */
export function formulaInputs(formula: string, row: Readonly<Record<string, unknown>>): string {
  const names = [...new Set(formula.match(/[A-Za-z_][A-Za-z0-9_.]*/g) ?? [])].filter((n) => Object.prototype.hasOwnProperty.call(row, n));
  return names.map((n) => `${n} = ${String(row[n])}`).join(', ');
}
