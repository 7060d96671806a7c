/**
 * Mixed model for repeated measures (MMRM) of a two-arm trial: the response at every
 * post-baseline visit on visit, treatment × visit and covariates (each by visit, or one slope),
 * with a within-subject covariance over the visits (mmrm-covariance.ts), fitted by REML
 * (mmrm-reml.ts). Equal to R's
 *   nlme::gls(y ~ ARM * AVISIT + BASE * AVISIT, correlation = corSymm(~ visit | subject),
 *             weights = varIdent(~ 1 | AVISIT), method = "REML")
 * with emmeans' ACTIVE − PLACEBO least-squares-mean contrast at each visit, and Satterthwaite
 * degrees of freedom 2(l'Cl)² / (g'H⁻¹g) (C = (X'V⁻¹X)⁻¹, g = ∂(l'Cl)/∂θ, H the observed REML
 * information), as mmrm and SAS compute them. Subjects with missing visits use the rows and
 * columns of the covariance at the visits they have.
 *
 * The design is visit intercepts, treatment × visit indicators and covariates centred at their
 * mean over the observations used: the treatment coefficient at visit v is the contrast itself,
 * and the visit intercept is the control arm's LS mean at the covariates' mean (emmeans' default).
 *
 * @example mmrm({ subject, visit, y, treatment, nVisits: 4, nSubjects: 200, covariates: [{ name: 'BASE', values: base, byVisit: true }] }).visits[3].estimate
 */
import { pTwoSidedT, qt } from './distributions.js';
import { covarianceStructure, type CovarianceStructure } from './mmrm-covariance.js';
import { choleskySolve, fitReml, RemlProblem } from './mmrm-reml.js';
import { NotEstimable, requireBinary, requireFinite } from './not-estimable.js';

export interface MmrmCovariate {
  name: string;
  /** Per observation (a baseline covariate repeats its value on each of the subject's rows). */
  values: Float64Array;
  /** One slope per visit (covariate × visit) or one for all visits. */
  byVisit: boolean;
}

export interface MmrmData {
  /** Per observation: the subject 0..nSubjects-1, the visit 0..nVisits-1, the response and the treatment (1 active, 0 control). */
  subject: Int32Array;
  visit: Int32Array;
  y: Float64Array;
  treatment: Float64Array;
  nSubjects: number;
  nVisits: number;
  covariates?: readonly MmrmCovariate[];
  /** Names of the visits, for notes (default "visit 1", ...). */
  visitNames?: readonly string[];
}

export interface MmrmOptions {
  covariance?: CovarianceStructure;
  conf?: number;
  maxIterations?: number;
}

export interface MmrmVisit {
  /** Active − control LS-mean difference at the visit, its model-based SE, Satterthwaite df, t, two-sided p and CI. */
  estimate: number;
  se: number;
  df: number;
  t: number;
  p: number;
  ci: [number, number];
  /** LS means per arm at the covariates' means, and their SEs. */
  lsmeanControl: number;
  lsmeanControlSe: number;
  lsmeanArm: number;
  lsmeanArmSe: number;
  nArm: number;
  nControl: number;
}

export interface MmrmResult {
  visits: MmrmVisit[];
  /** nlme's REML log-likelihood: -½[(N-p) log 2π + log|V| + log|X'V⁻¹X| + r'V⁻¹r]. */
  logLik: number;
  /** The estimated covariance over the visits, row-major V×V. */
  covariance: Float64Array;
  /**
   * The fixed effects β̂ (visit intercepts, treatment × visit, then each covariate's columns,
   * centred at covariateMeans, by visit or one) and their model-based covariance (X'V⁻¹X)⁻¹,
   * row-major p×p: what multiple imputation draws the parameters from.
   */
  coefficients: Float64Array;
  coefficientCovariance: Float64Array;
  structure: CovarianceStructure;
  /** The covariates' means over the observations (where the LS means are taken). */
  covariateMeans: Record<string, number>;
  nSubjects: number;
  nObs: number;
  nCoef: number;
  /** Covariance parameters estimated. */
  nTheta: number;
  /** BFGS iterations, and the largest |∂ℓ_R/∂θ| at the estimate (convergence). */
  iterations: number;
  gradientMax: number;
}

export function mmrm(data: MmrmData, options: MmrmOptions = {}): MmrmResult | NotEstimable {
  const { subject, visit, y, treatment, nSubjects, nVisits: V } = data;
  const covariates = data.covariates ?? [];
  const conf = options.conf ?? 0.95;
  const n = y.length;
  requireFinite('mmrm', 'y', y);
  requireBinary('mmrm', 'treatment', treatment);
  for (const c of covariates) {
    requireFinite('mmrm', c.name, c.values);
    if (c.values.length !== n) throw new RangeError(`mmrm: covariate ${c.name} has ${c.values.length} values for ${n} observations`);
  }
  if (treatment.length !== n) throw new RangeError(`mmrm: treatment has ${treatment.length} values for ${n} observations`);
  const visitName = (v: number) => data.visitNames?.[v] ?? `visit ${v + 1}`;

  // Each visit needs observations in both arms for its treatment contrast.
  const nArm = new Int32Array(V);
  const nControl = new Int32Array(V);
  for (let i = 0; i < n; i++) {
    const v = visit[i]!;
    if (!(v >= 0 && v < V && Number.isInteger(v))) throw new RangeError(`mmrm: visit[${i}] is ${v} (0..${V - 1} is required)`);
    if (treatment[i] === 1) nArm[v] = nArm[v]! + 1;
    else nControl[v] = nControl[v]! + 1;
  }
  for (let v = 0; v < V; v++) {
    if (nArm[v] === 0 || nControl[v] === 0) return new NotEstimable(`${visitName(v)} has no observations in the ${nArm[v] === 0 ? 'active' : 'control'} arm`);
  }

  // Design: visit intercepts, treatment × visit, centred covariates (by visit or one column).
  const p = 2 * V + covariates.reduce((s, c) => s + (c.byVisit ? V : 1), 0);
  const x = new Float64Array(n * p);
  const means: Record<string, number> = Object.create(null);
  for (let i = 0; i < n; i++) {
    const v = visit[i]!;
    x[i * p + v] = 1;
    x[i * p + V + v] = treatment[i]!;
  }
  let col = 2 * V;
  for (const c of covariates) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += c.values[i]!;
    mean /= n;
    means[c.name] = mean;
    for (let i = 0; i < n; i++) x[i * p + col + (c.byVisit ? visit[i]! : 0)] = c.values[i]! - mean;
    col += c.byVisit ? V : 1;
  }
  if (n - p <= 0) return new NotEstimable(`${n} observations for ${p} coefficients`);

  const cov = covarianceStructure(options.covariance ?? 'unstructured', V);
  const problem = new RemlProblem({ subject, visit, y, x, p, nSubjects }, cov);
  const start = problem.olsCovariance();
  if (!start) return new NotEstimable('the design is singular (a column of the model is empty, constant or collinear)');
  const fit = fitReml(problem, cov.start(start), { maxIterations: options.maxIterations });
  if (!fit.ok) return new NotEstimable(fit.reason);

  const m = cov.nTheta;
  const grad = new Float64Array(m);
  const hChol = fit.factor;
  const negLogLik = problem.evaluate(fit.theta, grad);
  const { beta, aInv } = problem;
  const l = new Float64Array(p);
  const g = new Float64Array(m);
  const hg = new Float64Array(m);
  const visits: MmrmVisit[] = [];
  for (let v = 0; v < V; v++) {
    const d = V + v;
    l.fill(0);
    l[d] = 1;
    const variance = problem.contrastGradient(l, g);
    hg.set(g);
    choleskySolve(hChol, m, hg);
    let denom = 0;
    for (let j = 0; j < m; j++) denom += g[j]! * hg[j]!;
    const df = denom > 0 ? (2 * variance * variance) / denom : Infinity;
    const se = Math.sqrt(variance);
    const estimate = beta[d]!;
    const t = estimate / se;
    const q = Number.isFinite(df) ? qt(1 - (1 - conf) / 2, df) : qt(1 - (1 - conf) / 2, 1e12);
    visits.push({
      estimate,
      se,
      df,
      t,
      p: pTwoSidedT(t, Number.isFinite(df) ? df : 1e12),
      ci: [estimate - q * se, estimate + q * se],
      lsmeanControl: beta[v]!,
      lsmeanControlSe: Math.sqrt(aInv[v * p + v]!),
      lsmeanArm: beta[v]! + beta[d]!,
      lsmeanArmSe: Math.sqrt(aInv[v * p + v]! + aInv[d * p + d]! + 2 * aInv[v * p + d]!),
      nArm: nArm[v]!,
      nControl: nControl[v]!,
    });
  }
  return {
    visits,
    logLik: -negLogLik,
    covariance: Float64Array.from(problem.sigma),
    coefficients: Float64Array.from(beta),
    coefficientCovariance: Float64Array.from(aInv),
    structure: cov.structure,
    covariateMeans: means,
    nSubjects: problem.patterns.reduce((s, pat) => s + pat.n, 0),
    nObs: n,
    nCoef: p,
    nTheta: m,
    iterations: fit.iterations,
    gradientMax: fit.gradientMax,
  };
}
