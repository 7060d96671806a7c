/** The known name nearest to a misspelt one (edit distance at most 2), for "did you mean" hints. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    // A suggestion must keep some of what was typed ("z" is not a typo of "w").
    if (d < bestD && d < name.length) {
      bestD = d;
      best = k;
    }
  }
  if (best) return best;
  // A name that extends or truncates a known one (hba1c_pct for hba1c).
  const low = name.toLowerCase();
  return known.find((k) => k.length >= 3 && (low.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(low)) && low.length >= 3);
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
