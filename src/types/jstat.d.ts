// jStat ships no types; vtrial uses only the non-central t CDF.
declare module 'jstat' {
  const jstat: { jStat: { noncentralt: { cdf(x: number, dof: number, ncp: number): number } } };
  export default jstat;
}
