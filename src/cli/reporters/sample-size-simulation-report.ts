/** The text of a simulated sample-size search (vtrial sample-size PROTOCOL). */
import type { SampleSizeSimulationResult } from '../../app/sample-size-simulation.js';
import { formatTable } from './format-table.js';

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);

function startLine(r: SampleSizeSimulationResult): string {
  const a = r.start.analytic;
  if (!a) return `  start: the protocol's value ${r.start.value}${r.start.reason ? ` (no analytic guess: ${r.start.reason})` : ''}`;
  const read = a.mode === 'means' ? `delta ${a.pilot.delta!.toPrecision(4)}, SD ${a.pilot.sd!.toPrecision(4)}` : `hazard ratio ${a.pilot.hazardRatio!.toPrecision(4)}${a.pilot.eventsPerPatient !== undefined ? `, ${a.pilot.eventsPerPatient.toPrecision(3)} events per patient` : ''}`;
  return `  start: analytic guess ${f1(a.n)} (pilot at ${a.pilot.n}, ${a.pilot.replicates} replicates: ${read}; analytic ${a.mode === 'means' ? 'patients' : 'events'} ${f1(a.analytic)})`;
}

export function sampleSizeSimulationText(r: SampleSizeSimulationResult): string {
  const how = r.mode === 'grid' ? `a fixed grid of ${r.grid!.length} values` : 'common random numbers';
  const lines = [`Sample size by simulation: ${r.protocol}`, `  searched ${r.path} for power ${r.targetPower} (${r.criterion}), ${r.replicates} replicates per value, seed ${r.seed}, ${how}`, startLine(r)];
  if (r.shard) {
    lines.push(`  shard ${r.shard.k}/${r.shard.n}: its share of the grid ${r.grid!.join(', ')} simulated; merge the shards with vtrial sample-size --merge DIR... --out OUT`);
    return lines.join('\n');
  }
  if (r.n === null || r.nFitted === null) {
    lines.push(`  not converged: ${r.mode === 'grid' ? 'the fitted root lies outside the grid or the curve does not increase' : 'the target power was not bracketed or the fitted curve did not settle'}; see the points below and change the start`);
  } else {
    lines.push(`  ${r.path} = ${r.n}${r.converged ? '' : ' (not converged)'}   (fitted ${f1(r.nFitted)}, 95% MC interval ${r.nInterval ? `${f1(r.nInterval[0])} to ${f1(r.nInterval[1])}` : 'n/a'}; rounded up to ${r.block === 1 ? 'a whole number' : `the block of ${r.block}`})`);
    if (r.power) lines.push(`  power at ${r.power.n}${r.power.n === r.n ? '' : ' (the grid value nearest)'}: ${f3(r.power.value)} (MC SE ${f3(r.power.mcse)})`);
    lines.push(r.typeIError ? `  type I error at ${r.typeIError.n} (scenario ${r.typeIError.scenario}): ${f3(r.typeIError.value)} (MC SE ${f3(r.typeIError.mcse)})` : '  type I error: the protocol has no scenario with no_effect: true');
    const q = r.sequential;
    if (q) lines.push(`  group-sequential, at ${q.n}: expected patients ${f1(q.patients.mean)} (MC SE ${f1(q.patients.mcse)}), information ${f1(q.information.mean)} (${f1(q.information.mcse)}), duration ${f1(q.day.mean)} days (${f1(q.day.mcse)})`);
  }
  lines.push('', r.mode === 'grid' ? 'Grid (probit(power) = a + b log N fitted to the points within a factor 1.5 of N*):' : 'Search (probit(power) = a + b log N fitted to all points):');
  lines.push(formatTable(['round', 'N', 'replicates', 'power', 'MC SE', 'fitted'], r.search.map((s) => [String(s.round), String(s.n), String(s.replicates), f3(s.power), f3(s.powerMcse), s.fittedPower === null ? '' : f3(s.fittedPower)])));
  return lines.join('\n');
}
