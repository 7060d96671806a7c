/**
 * Time to event with a proportional-hazards model, by inversion of the cumulative hazard:
 *   H(t) = H0(t) exp(lp),  T = H0^-1(E / exp(lp)),  E ~ Exp(1) (stream "tte/<id>", all arms)
 *   exponential: H0(t) = log(2) t / median
 *   Weibull:     H0(t) = (t / scale)^shape
 * lp = covariate predictor + log(hazard ratio of the arm) + exposure coefficient x exposure.
 */
export type BaselineHazard = { distribution: 'exponential'; median_days: number } | { distribution: 'weibull'; scale_days: number; shape: number };

export function eventTime(e: number, h0: BaselineHazard, lp: number): number {
  const target = e * Math.exp(-lp);
  if (h0.distribution === 'exponential') return (target * h0.median_days) / Math.LN2;
  return h0.scale_days * target ** (1 / h0.shape);
}
