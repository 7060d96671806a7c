import { describe, expect, it } from 'vitest';
import { barnardRubinDf, rubin } from '../../src/stats/rubin.js';

// Expected values: mice::pool's formulas (mice:::barnard.rubin, mice 3.16) written out in R 4
// (mice is not installed here):
//   q <- c(1.12, 0.87, 1.31, 0.95, 1.04); u <- c(0.041, 0.052, 0.047, 0.039, 0.044); dfcom <- 97; m <- 5
//   qbar <- mean(q); ubar <- mean(u); b <- var(q); t <- ubar + (1+1/m)*b
//   lambda <- (1+1/m)*b/t; dfold <- (m-1)/lambda^2; dfobs <- (dfcom+1)/(dfcom+3)*dfcom*(1-lambda)
//   df <- dfold*dfobs/(dfold+dfobs); riv <- (1+1/m)*b/ubar; fmi <- (riv+2/(df+3))/(riv+1)
//   p <- 2*pt(-abs(qbar/sqrt(t)), df); ci <- qbar + c(-1,1)*qt(0.975, df)*sqrt(t)
describe("Rubin's rules", () => {
  const q = [1.12, 0.87, 1.31, 0.95, 1.04];
  const u = [0.041, 0.052, 0.047, 0.039, 0.044];

  it('pools as mice::pool with Barnard–Rubin df', () => {
    const r = rubin(q, u, 97);
    expect(r.estimate).toBeCloseTo(1.058, 12);
    expect(r.within).toBeCloseTo(0.0446, 12);
    expect(r.between).toBeCloseTo(0.02867, 12);
    expect(r.total).toBeCloseTo(0.079004, 12);
    expect(r.df).toBeCloseTo(15.1415753622847, 9);
    expect(r.riv).toBeCloseTo(0.771390134529148, 12);
    expect(r.fmi).toBeCloseTo(0.497707493386562, 9);
    expect(r.p).toBeCloseTo(0.00184850873216695, 9);
    expect(r.ci[0]).toBeCloseTo(0.459387136003134, 8);
    expect(r.ci[1]).toBeCloseTo(1.65661286399687, 8);
  });

  it('uses the large-sample df (M−1)/λ² when the complete-data df is infinite', () => {
    const r = rubin(q, u, Infinity);
    expect(r.df).toBeCloseTo(21.0930933166828, 9);
    expect(barnardRubinDf(5, r.between, r.total, Infinity)).toBe(r.df);
  });

  it('tends to the complete-data df (times (ν+1)/(ν+3)) when the imputations agree', () => {
    const r = rubin([2, 2, 2], [0.1, 0.1, 0.1], 50);
    // λ floored at 1e-4 as mice: ν_old = 2e8, ν_obs = 51/53·50·(1−1e-4).
    const dfObs = (51 / 53) * 50 * (1 - 1e-4);
    expect(r.df).toBeCloseTo((2e8 * dfObs) / (2e8 + dfObs), 9);
    expect(r.total).toBeCloseTo(0.1, 15);
  });

  it('refuses fewer than two imputations', () => {
    expect(() => rubin([1], [0.1], 10)).toThrow(RangeError);
  });
});
