/** The sections of a single run's report (`vtrial run`; efficacy and safety also for `analyze`). */
import { consortChart } from '../charts/consort.js';
import { adverseEventChart, ANY_AE, type AeBar } from '../charts/adverse-events.js';
import { changeFromBaselineChart, visitMeans } from '../charts/change-from-baseline.js';
import { forestChart } from '../charts/forest.js';
import { iteDistributionChart, type IteSample } from '../charts/ite-distribution.js';
import { iteSubgroupChart } from '../charts/ite-subgroups.js';
import { kaplanMeierChart } from '../charts/kaplan-meier.js';
import { concentrationBands, pkChart } from '../charts/pk.js';
import { spaghettiChart } from '../charts/spaghetti.js';
import type { Chart } from '../chart.js';
import { fixed, htmlTable, pText } from '../html-table.js';
import { num, type OutputDir } from '../output-dir.js';
import { distinct, labelAndUnit, randomisedIds, runArms, visitTitle } from './run-data.js';
import type { ReportSection } from './section.js';

/** Twins per arm in the spaghetti plots: enough to see the spread, few enough to keep the file small. */
export const SPAGHETTI_PER_ARM = 20;

interface Criterion {
  id: string;
  kind: string;
  text: string;
  excluded: number;
  failing: number;
}

interface Flow {
  screened: number;
  eligible: number;
  excluded: number;
  enrolled: number;
  target: number;
  screenFailureRate: number;
  criteria: Criterion[];
}

const flow: ReportSection = {
  id: 'flow',
  heading: 'Participant flow',
  kinds: ['run'],
  needs: ['summary.json', 'adsl.csv'],
  build(dir) {
    const f = dir.summary?.screening as Flow | undefined;
    if (!f) return null;
    const arms = runArms(dir);
    const adsl = dir.csv('adsl.csv').filter((r) => r.RANDFL === 'Y');
    const chart = consortChart({
      screened: f.screened,
      excluded: f.excluded,
      criteria: f.criteria.map((c) => ({ text: c.text || c.id, excluded: c.excluded })),
      randomised: arms.reduce((s, a) => s + a.randomised, 0),
      external: externalControls(dir.csv('adsl.csv')),
      arms: arms.map((a) => {
        const gone = adsl.filter((r) => r.TRT01A === a.arm && r.EOSSTT !== 'COMPLETED');
        const reasons = distinct(gone, 'DCSREAS').map((reason) => ({ reason: reason || 'not recorded', n: gone.filter((r) => r.DCSREAS === reason).length }));
        return { arm: a.arm, randomised: a.randomised, discontinued: a.discontinued, completed: a.completed, reasons };
      }),
    });
    const table = htmlTable(
      `Screening: ${f.screened} screened, ${f.eligible} eligible, ${f.enrolled} enrolled (target ${f.target}); screen failure ${(100 * f.screenFailureRate).toFixed(1)}%`,
      ['Criterion', 'kind', 'text', 'excluded (first failing)', 'failing'],
      f.criteria.map((c) => [c.id, c.kind, c.text, String(c.excluded), String(c.failing)]),
    );
    return { charts: [chart], html: table };
  },
};

/** External controls in ADSL (EXTFL = Y): how many, and the arm they join. */
function externalControls(adsl: readonly Record<string, string>[]): { n: number; arm: string } | undefined {
  const ext = adsl.filter((r) => r.EXTFL === 'Y');
  return ext.length > 0 ? { n: ext.length, arm: distinct(ext, 'TRT01A').join(', ') } : undefined;
}

const efficacy: ReportSection = {
  id: 'efficacy',
  heading: 'Efficacy',
  kinds: ['run', 'analyze'],
  needs: ['efficacy.csv'],
  build(dir) {
    const rows = dir.csv('efficacy.csv');
    if (rows.length === 0) return null;
    const chart = forestChart(
      rows.map((r) => ({ endpoint: r.endpoint!, label: r.label!, method: r.method!, arm: r.arm!, control: r.control!, measure: r.measure!, estimate: num(r.estimate), lower: num(r.lower), upper: num(r.upper), truth: num(r.true_effect) })),
    );
    const table = htmlTable(
      'Efficacy analyses (truth: the same quantity on all enrolled twins\u2019 counterfactual outcomes)',
      ['Endpoint', 'role', 'comparison', 'method', 'measure', 'n', 'estimate (95% CI)', 'p', 'p adj.', 'reject', 'truth'],
      rows.map((r) => [r.endpoint!, r.role!, `${r.arm} vs ${r.control}`, r.method!, r.measure!, `${r.n_arm} / ${r.n_control}`, `${fixed(num(r.estimate))} (${fixed(num(r.lower))}, ${fixed(num(r.upper))})`, pText(num(r.p)), pText(num(r.p_adjusted)), r.reject === 'Y' ? 'yes' : 'no', fixed(num(r.true_effect))]),
    );
    return { charts: [chart], html: table };
  },
};

const survival: ReportSection = {
  id: 'survival',
  heading: 'Time to event',
  kinds: ['run'],
  needs: ['adtte.csv', 'adsl.csv'],
  build(dir) {
    const ids = randomisedIds(dir);
    const rows = dir.csv('adtte.csv').filter((r) => ids.has(r.USUBJID!));
    if (rows.length === 0) return null;
    const arms = runArms(dir).map((a) => a.arm);
    const charts = distinct(rows, 'PARAMCD').map((p) => {
      const mine = rows.filter((r) => r.PARAMCD === p);
      const unit = (mine[0]!.AVALU ?? 'days').toLowerCase();
      return kaplanMeierChart(p, mine[0]!.PARAM!, unit, arms, mine.map((r) => ({ arm: r.TRTA!, time: num(r.AVAL), censored: r.CNSR === '1' })));
    });
    return { charts, html: '' };
  },
};

const biomarkers: ReportSection = {
  id: 'biomarkers',
  heading: 'Biomarkers over time',
  kinds: ['run'],
  needs: ['adeff.csv', 'adsl.csv'],
  build(dir) {
    const ids = randomisedIds(dir);
    const rows = dir.csv('adeff.csv').filter((r) => ids.has(r.USUBJID!));
    if (rows.length === 0) return null;
    const arms = runArms(dir).map((a) => a.arm);
    const vt = visitTitle(rows);
    const charts: Chart[] = [];
    for (const p of distinct(rows, 'PARAMCD')) {
      const mine = rows.filter((r) => r.PARAMCD === p);
      const [label, unit] = labelAndUnit(mine[0]!.PARAM!);
      charts.push(changeFromBaselineChart(p, label, unit, vt, arms, visitMeans(arms, mine.map((r) => ({ arm: r.TRTA!, visit: num(r.AVISITN), change: num(r.CHG) })))));
      const sample = new Set(arms.flatMap((a) => distinct(mine.filter((r) => r.TRTA === a), 'USUBJID').slice(0, SPAGHETTI_PER_ARM)));
      charts.push(spaghettiChart(p, label, unit, vt, arms, mine.filter((r) => sample.has(r.USUBJID!)).map((r) => ({ id: r.USUBJID!, arm: r.TRTA!, visit: num(r.AVISITN), value: num(r.AVAL) })), SPAGHETTI_PER_ARM));
    }
    return { charts, html: '' };
  },
};

const safety: ReportSection = {
  id: 'safety',
  heading: 'Safety',
  kinds: ['run', 'analyze'],
  needs: ['safety.csv'],
  build(dir) {
    const s = dir.csv('safety.csv');
    if (s.length === 0) return null;
    const arms = distinct(s, 'arm');
    const subjects = new Map(s.map((r) => [r.arm!, num(r.subjects)]));
    const terms = distinct(s.filter((r) => r.category === 'term'), 'item');
    const bars: AeBar[] = s.filter((r) => r.category === 'worst grade' && num(r.n) > 0).map((r) => ({ term: ANY_AE, arm: r.arm!, grade: num(r.item), n: num(r.n), percent: num(r.percent) }));
    if (dir.has('adae.csv')) {
      const ids = dir.has('adsl.csv') ? randomisedIds(dir) : null;
      const adae = dir.csv('adae.csv').filter((r) => !ids || ids.has(r.USUBJID!));
      for (const term of terms) {
        for (const arm of arms) {
          for (let g = 1; g <= 5; g++) {
            const n = adae.filter((r) => r.AEDECOD === term && r.TRTA === arm && num(r.AETOXGR) === g).length;
            if (n > 0) bars.push({ term, arm, grade: g, n, percent: (100 * n) / subjects.get(arm)! });
          }
        }
      }
    }
    const charts = bars.length > 0 ? [adverseEventChart(arms, dir.has('adae.csv') ? terms : [], bars)] : [];
    const label = (r: Record<string, string>) => (r.category === 'term' ? r.item! : r.category === 'worst grade' ? `worst grade ${r.item}` : r.category === 'any' ? 'any adverse event' : r.category!);
    const items = distinct(s.map((r) => ({ ...r, key: label(r) })), 'key');
    const cell = (key: string, arm: string) => {
      const r = s.find((x) => label(x) === key && x.arm === arm);
      return r ? `${r.n} (${num(r.percent).toFixed(1)}%)` : '';
    };
    const table = htmlTable('Subjects with adverse events, n (%)', ['Subjects with', ...arms.map((a) => `${a} (N=${subjects.get(a)})`)], items.map((k) => [k, ...arms.map((a) => cell(k, a))]));
    return { charts, html: table };
  },
};

const pk: ReportSection = {
  id: 'pk',
  heading: 'Pharmacokinetics',
  kinds: ['run'],
  needs: ['adpc.csv', 'adsl.csv'],
  build(dir) {
    const ids = randomisedIds(dir);
    const rows = dir.csv('adpc.csv').filter((r) => ids.has(r.USUBJID!));
    if (rows.length === 0) return null;
    const arms = runArms(dir).map((a) => a.arm).filter((a) => rows.some((r) => r.TRTA === a));
    const bands = concentrationBands(arms, rows.map((r) => ({ arm: r.TRTA!, visit: num(r.AVISITN), value: num(r.AVAL) })));
    return { charts: [pkChart(rows[0]!.AVALU ?? '', visitTitle(rows), arms, bands)], html: '' };
  },
};

const individualEffects: ReportSection = {
  id: 'ite',
  heading: 'Individual treatment effects',
  kinds: ['run'],
  needs: ['ite.csv', 'counterfactual.csv'],
  build(dir) {
    const ite = dir.csv('ite.csv');
    if (ite.length === 0) return null;
    const cf = dir.csv('counterfactual.csv');
    const labels = new Map(dir.csv('efficacy.csv').map((r) => [r.endpoint!, r.label!]));
    const charts: Chart[] = [];
    for (const ep of distinct(ite, 'endpoint')) {
      const mine = ite.filter((r) => r.endpoint === ep);
      const label = labels.get(ep) ?? ep;
      const unit = /\(([^()]+)\)$/.exec(label)?.[1];
      const axisTitle = `Individual effect (${unit ?? 'arm − control'})`;
      const samples: IteSample[] = [];
      for (const r of mine.filter((x) => x.subgroup === 'all')) {
        const comparison = `${r.arm} vs ${r.control}`;
        for (const c of cf) samples.push({ comparison, effect: num(c[`${ep}.${r.arm}`]) - num(c[`${ep}.${r.control}`]) });
      }
      if (samples.length > 0) charts.push(iteDistributionChart(ep, label, axisTitle, samples));
      charts.push(
        iteSubgroupChart(
          ep,
          label,
          axisTitle,
          mine.map((r) => ({ comparison: `${r.arm} vs ${r.control}`, group: r.subgroup === 'all' ? 'all' : `${r.subgroup} = ${r.level}`, n: num(r.n), mean: num(r.mean), q05: num(r.q05), q25: num(r.q25), median: num(r.median), q75: num(r.q75), q95: num(r.q95) })),
        ),
      );
    }
    return { charts, html: '' };
  },
};

export const RUN_SECTIONS: readonly ReportSection[] = [flow, efficacy, survival, biomarkers, safety, pk, individualEffects];
