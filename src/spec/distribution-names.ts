/** Distributions with a continuous quantile function: the ones a Gaussian copula can correlate. Without zod, for the cohort compiler. */
export const CONTINUOUS_DISTS: readonly string[] = ['normal', 'truncnormal', 'lognormal', 'uniform', 'gamma', 'beta'];
