/**
 * Conditional power at an interim look and the z-scale futility bound a conditional-power
 * threshold implies (README "Interim analyses"). With information rates (the final look's
 * information 1), z_k observed at rate t_k and the final critical value c_K, the probability of
 * ending above c_K given z_k, when the drift (the mean of Z at full information) is theta, is
 *
 *   CP = 1 - Phi((c_K - z_k sqrt(t_k) - theta (1 - t_k)) / sqrt(1 - t_k)),
 *
 * the B-value form of Lan & Wittes (1988); under the current trend theta = z_k / sqrt(t_k) and
 * CP = 1 - Phi((c_K - z_k / sqrt(t_k)) / sqrt(1 - t_k)). At the last interim look this is
 * rpact's getConditionalPower (test/fixtures/r-extra). CP increases with z_k, so a threshold
 * gamma maps to the bound z_k = (c_K - theta (1 - t_k) - q sqrt(1 - t_k)) / sqrt(t_k) (design)
 * or z_k = sqrt(t_k) (c_K - q sqrt(1 - t_k)) (trend), q = Phi^-1(1 - gamma): CP < gamma exactly
 * when z_k is below it.
 */
import { pnorm, qnorm } from './distributions.js';

/** theta: the drift at full information (null: the current trend). */
export function conditionalPower(z: number, t: number, finalCritical: number, theta: number | null): number {
  const rest = Math.sqrt(1 - t);
  const x = theta === null ? (finalCritical - z / Math.sqrt(t)) / rest : (finalCritical - z * Math.sqrt(t) - theta * (1 - t)) / rest;
  return pnorm(-x);
}

/** The z at rate t (0 < t < 1) where the conditional power equals the threshold (0 < threshold < 1). */
export function conditionalPowerBound(threshold: number, t: number, finalCritical: number, theta: number | null): number {
  const q = qnorm(1 - threshold);
  const rest = Math.sqrt(1 - t);
  return theta === null ? Math.sqrt(t) * (finalCritical - q * rest) : (finalCritical - theta * (1 - t) - q * rest) / Math.sqrt(t);
}
