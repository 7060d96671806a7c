/** The text of a simulated sample-size search (vtrial sample-size PROTOCOL). */
import type { SampleSizeSimulationResult } from '../../app/sample-size-simulation.js';
import { formatTable } from './format-table.js';

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);
/** A value of the path: one decimal for whole-number paths (a fitted 367.2), 4 significant digits for real ones (an Emax of 0.5055). */
const fv = (r: SampleSizeSimulationResult, x: number) => (r.integer ? f1(x) : String(Number(x.toPrecision(4))));

function startLine(r: SampleSizeSimulationResult): string {
  const a = r.start.analytic;
  if (!a) return `  start: the protocol's value ${r.start.value}${r.start.reason ? ` (no analytic guess: ${r.start.reason})` : ''}`;
  const read = a.mode === 'means' ? `delta ${a.pilot.delta!.toPrecision(4)}, SD ${a.pilot.sd!.toPrecision(4)}` : `hazard ratio ${a.pilot.hazardRatio!.toPrecision(4)}${a.pilot.eventsPerPatient !== undefined ? `, ${a.pilot.eventsPerPatient.toPrecision(3)} events per patient` : ''}`;
  return `  start: analytic guess ${f1(a.n)} (pilot at ${a.pilot.n}, ${a.pilot.replicates} replicates: ${read}; analytic ${a.mode === 'means' ? 'patients' : 'events'} ${f1(a.analytic)})`;
}

export function sampleSizeSimulationText(r: SampleSizeSimulationResult): string {
  const how = r.mode === 'grid' ? `a fixed grid of ${r.grid!.length} values` : 'common random numbers';
  const range = `${r.direction === 'decrease' ? 'the largest value (power falls as it grows)' : 'the smallest value'} in multiples of ${r.block} from ${r.range.min}${r.range.max === null ? '' : ` to ${r.range.max}`}`;
  const lines = [`Sample size by simulation: ${r.protocol}`, `  searched ${r.path} for power ${r.targetPower} (${r.criterion}), ${r.replicates} replicates per value, seed ${r.seed}, ${how}`, `  answer sought: ${range}`, startLine(r)];
  if (r.shard) {
    lines.push(`  shard ${r.shard.k}/${r.shard.n}: its share of the grid ${r.grid!.join(', ')} simulated; merge the shards with vtrial sample-size --merge DIR... --out OUT`);
    return lines.join('\n');
  }
  if (r.n === null) {
    lines.push(`  not converged: ${r.reason ?? 'no answer'}; see the points below`);
  } else {
    const rounded = `rounded ${r.direction === 'decrease' ? 'down' : 'up'} to ${r.block === 1 ? 'a whole number' : r.path === 'enrolment.target' ? `the block of ${r.block}` : `a multiple of ${r.block}`}`;
    const fitted = r.nFitted === null ? `the ${r.direction === 'decrease' ? 'largest' : 'smallest'} value allowed already reaches the target power: no curve fitted` : `fitted ${fv(r, r.nFitted)}, 95% MC interval ${r.nInterval ? `${fv(r, r.nInterval[0])} to ${fv(r, r.nInterval[1])}` : 'n/a'}; ${rounded}`;
    lines.push(`  ${r.path} = ${r.n}${r.converged ? '' : ` (not converged: ${r.reason})`}   (${fitted})`);
    if (r.power) lines.push(`  power at ${r.power.n}${r.power.n === r.n ? '' : ' (the grid value nearest)'}: ${f3(r.power.value)} (MC SE ${f3(r.power.mcse)})`);
    lines.push(r.typeIError ? `  type I error at ${r.typeIError.n} (scenario ${r.typeIError.scenario}): ${f3(r.typeIError.value)} (MC SE ${f3(r.typeIError.mcse)})` : '  type I error: the protocol has no scenario with no_effect: true');
    const q = r.sequential;
    if (q) lines.push(`  group-sequential, at ${q.n}: expected patients ${f1(q.patients.mean)} (MC SE ${f1(q.patients.mcse)}), information ${f1(q.information.mean)} (${f1(q.information.mcse)}), duration ${f1(q.day.mean)} days (${f1(q.day.mcse)})`);
  }
  lines.push('', r.mode === 'grid' ? 'Grid (probit(power) = a + b log N fitted to the points within a factor 1.5 of N*):' : 'Search (probit(power) = a + b log N fitted to all points):');
  lines.push(formatTable(['round', 'N', 'replicates', 'power', 'MC SE', 'fitted'], r.search.map((s) => [String(s.round), String(s.n), String(s.replicates), f3(s.power), f3(s.powerMcse), s.fittedPower === null ? '' : f3(s.fittedPower)])));
  return lines.join('\n');
}

/** What the command line says beside the text: warnings (stderr), and why there is no answer (stderr, exit code 3), or null. */
export function sampleSizeSimulationOutcome(r: SampleSizeSimulationResult): { warnings: string[]; failure: string | null } {
  const warnings = r.powerDrops.map(
    (d) => `the simulated power falls from ${f3(d.powerFrom)} at ${d.from} to ${f3(d.powerTo)} at ${d.to} (${(d.drop / d.mcse).toFixed(1)} MC SE, paired replicates): power may not be monotone in ${r.path}; the answer assumes it is (sample-size.json: powerDrops)`,
  );
  const failure = r.shard || r.converged ? null : `sample-size: no answer: ${r.reason ?? 'the search stopped without converging'} (${r.out}/sample-size.json has converged: false and the reason)`;
  return { warnings, failure };
}
