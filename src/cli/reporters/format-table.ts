/** Plain-text tables for terminal reports (right-aligned numbers, left-aligned text). */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = header.map((_, j) => rows.every((r) => typeof r[j] === 'number' || /^[\d.,%()\s-]*$/.test(String(r[j]))));
  const line = (r: string[]) => r.map((c, j) => (numeric[j] && j > 0 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const percent = (x: number, of: number): string => (of === 0 ? '-' : `${((100 * x) / of).toFixed(1)}%`);
