/** Runs the vtrial CLI in-process and captures what it writes. */
import { runCli } from '../src/cli/index.js';

export async function runVtrial(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}
