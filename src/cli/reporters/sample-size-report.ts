/** `vtrial sample-size` for the terminal: the sizes (rounded up per arm) and powers, and a sequential design's looks. */
import type { SampleSizeResult } from '../../app/sample-size-command.js';
import { formatTable } from './format-table.js';

const g = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'NA');

function effectText(r: SampleSizeResult): string {
  const e = r.effect;
  const allocation = r.allocation === 1 ? '1:1' : `${r.allocation}:1`;
  const test = `${r.sided === 2 ? 'two' : 'one'}-sided alpha ${r.alpha}, allocation ${allocation} (active:control)`;
  if (e.kind === 'means') return `difference in means ${e.delta}, sd ${e.sd}; ${test}`;
  if (e.kind === 'rates') return `proportions ${e.p1} (active) vs ${e.p2} (control); ${test}`;
  return `hazard ratio ${e.hazardRatio}; ${test}`;
}

export function sampleSizeText(r: SampleSizeResult): string {
  const head = 'power' in r.target ? `Size for power ${r.target.power}: ${effectText(r)}` : `Power with ${'n' in r.target ? `${r.target.n} patients in all` : `${r.target.events} events`}: ${effectText(r)}`;
  const events = r.mode === 'survival';
  const table = formatTable(
    events ? ['analysis', 'events', 'events (rounded up)', 'power'] : ['analysis', 'n in all', 'active', 'control', 'n (rounded up per arm)', 'power'],
    r.rows.map((x) =>
      events
        ? [x.analysis, g(x.events!, 2), String(Math.ceil(x.events! - 1e-9)), g(x.power)]
        : [x.analysis, g(x.n!, 2), g(x.nActive!, 2), g(x.nControl!, 2), `${Math.ceil(x.nActive! - 1e-9) + Math.ceil(x.nControl! - 1e-9)} (${Math.ceil(x.nActive! - 1e-9)} + ${Math.ceil(x.nControl! - 1e-9)})`, g(x.power)],
    ),
  );
  const parts = [head, '', table];
  const s = r.sequential;
  if (s) {
    const unit = s.unit;
    parts.push(
      '',
      `Group-sequential design (${s.design}, ${s.looks.length} looks${s.looks.some((l) => l.futilityBound !== null) ? `, ${s.bindingFutility ? 'binding' : 'non-binding'} futility` : ''}; boundaries on the z scale, one-sided nominal levels):`,
      formatTable(
        ['look', 'information', unit, 'efficacy z', 'nominal alpha', 'alpha spent', 'futility z', 'P(reject) H1', 'P(futility) H1'],
        s.looks.map((l) => [String(l.look), g(l.informationRate, 3), g(l.size, 1), l.criticalValue === null ? 'none' : g(l.criticalValue), l.nominalAlpha.toPrecision(4), l.alphaSpent.toPrecision(4), l.futilityBound === null ? '-' : g(l.futilityBound, 3), g(l.rejectH1), l.futilityH1 === null ? '-' : g(l.futilityH1)]),
      ),
      `maximum ${unit} ${g(s.maxSize, 2)}${Number.isFinite(s.fixedSize) ? ` (fixed design ${g(s.fixedSize, 2)}: inflation ${g(s.maxSize / s.fixedSize, 4)})` : ''}; expected ${unit} under H0 ${g(s.expectedSizeH0, 2)}, under H1 ${g(s.expectedSizeH1, 2)}; power ${g(s.overallPower)}`,
    );
  }
  return parts.join('\n');
}
