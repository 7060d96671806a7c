/** The text of a simulated sample-size search (vtrial sample-size PROTOCOL). */
import type { SampleSizeSimulationResult } from '../../app/sample-size-simulation.js';
import { formatTable } from './format-table.js';

const f3 = (x: number) => x.toFixed(3);

export function sampleSizeSimulationText(r: SampleSizeSimulationResult): string {
  const lines = [`Sample size by simulation: ${r.protocol}`, `  searched ${r.path} for power ${r.targetPower} (${r.criterion}), ${r.replicates} replicates per value, seed ${r.seed}, common random numbers`];
  if (r.n === null || r.nFitted === null) {
    lines.push(`  not converged: ${r.converged ? '' : 'the target power was not bracketed or the fitted curve did not settle; '}see the search below and widen the start value`);
  } else {
    lines.push(`  ${r.path} = ${r.n}${r.converged ? '' : ' (not converged)'}   (fitted ${r.nFitted.toFixed(1)}, 95% MC interval ${r.nInterval ? `${r.nInterval[0].toFixed(1)} to ${r.nInterval[1].toFixed(1)}` : 'n/a'}; rounded up to ${r.block === 1 ? 'a whole number' : `the block of ${r.block}`})`);
    lines.push(`  power at ${r.n}: ${f3(r.power!.value)} (MC SE ${f3(r.power!.mcse)})`);
    lines.push(r.typeIError ? `  type I error at ${r.n} (scenario ${r.typeIError.scenario}): ${f3(r.typeIError.value)} (MC SE ${f3(r.typeIError.mcse)})` : '  type I error: the protocol has no scenario with no_effect: true');
  }
  lines.push('', 'Search (probit(power) = a + b log N fitted to all points):');
  lines.push(formatTable(['round', 'N', 'replicates', 'power', 'MC SE', 'fitted'], r.search.map((s) => [String(s.round), String(s.n), String(s.replicates), f3(s.power), f3(s.powerMcse), s.fittedPower === null ? '' : f3(s.fittedPower)])));
  return lines.join('\n');
}
