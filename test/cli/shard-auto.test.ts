import { describe, expect, it } from 'vitest';
import { parseShard, shardFromEnv } from '../../src/cli/options.js';
import { resolveShard, runCli } from '../../src/cli/index.js';
import { UsageError } from '../../src/errors/usage-error.js';

const slurm = (id: number, min: number, max: number, extra: Record<string, string> = {}) => ({ SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max), ...extra });

describe('shardFromEnv: Slurm job arrays', () => {
  it('--array=1-8: task 3 is shard 3/8', () => expect(shardFromEnv(slurm(3, 1, 8))).toEqual({ k: 3, n: 8 }));
  it('--array=0-7: task 0 is shard 1/8 (0-based arrays too)', () => expect(shardFromEnv(slurm(0, 0, 7, { SLURM_ARRAY_TASK_COUNT: '8' }))).toEqual({ k: 1, n: 8 }));
  it('--array=0-12:4: task 8 is shard 3/4 (a step)', () => expect(shardFromEnv(slurm(8, 0, 12, { SLURM_ARRAY_TASK_STEP: '4', SLURM_ARRAY_TASK_COUNT: '4' }))).toEqual({ k: 3, n: 4 }));
  it('COUNT alone gives the count when MAX is missing', () => expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '6' })).toEqual({ k: 5, n: 6 }));
  it('MIN missing: names it', () => expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MAX: '4' })).toThrow(/SLURM_ARRAY_TASK_MIN is missing/));
  it('MAX and COUNT missing: names both', () => expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1' })).toThrow(/SLURM_ARRAY_TASK_MAX and SLURM_ARRAY_TASK_COUNT are missing/));
  it('a sparse array (--array=1,3,7: COUNT 3, MIN 1, MAX 7) is inconsistent', () => expect(() => shardFromEnv(slurm(3, 1, 7, { SLURM_ARRAY_TASK_COUNT: '3' }))).toThrow(/SLURM_ARRAY_TASK_COUNT 3 disagrees .* \(7 tasks\)/));
  it('a non-number is refused naming the variable', () => expect(() => shardFromEnv(slurm(1, 1, 4, { SLURM_ARRAY_TASK_ID: 'x' }))).toThrow('SLURM_ARRAY_TASK_ID is "x", expected a whole number >= 0'));
  it('--shards must agree with the array', () => {
    expect(shardFromEnv(slurm(2, 1, 4), 4)).toEqual({ k: 2, n: 4 });
    expect(() => shardFromEnv(slurm(2, 1, 4), 5)).toThrow('--shards 5 disagrees with the Slurm array (4 shards)');
  });
});

describe('shardFromEnv: Kubernetes Indexed Jobs', () => {
  it('JOB_COMPLETION_INDEX 0 with --shards 8 is shard 1/8', () => expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 8)).toEqual({ k: 1, n: 8 }));
  it('the count from VTRIAL_SHARDS', () => expect(shardFromEnv({ JOB_COMPLETION_INDEX: '7', VTRIAL_SHARDS: '8' })).toEqual({ k: 8, n: 8 }));
  it('--shards wins over VTRIAL_SHARDS', () => expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', VTRIAL_SHARDS: '8' }, 4)).toEqual({ k: 3, n: 4 }));
  it('no count: says how to give one', () => expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' })).toThrow('gives no shard count: give --shards N or set VTRIAL_SHARDS'));
  it('an index beyond the count', () => expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '8' }, 8)).toThrow('JOB_COMPLETION_INDEX gives shard 9 of 8'));
});

describe('shardFromEnv: AWS Batch array jobs', () => {
  it('index 4 of size 10 is shard 5/10', () => expect(shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '4', AWS_BATCH_JOB_ARRAY_SIZE: '10' })).toEqual({ k: 5, n: 10 }));
  it('without the size, --shards gives the count', () => expect(shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '4' }, 6)).toEqual({ k: 5, n: 6 }));
  it('size and --shards disagree', () => expect(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '10' }, 3)).toThrow('--shards 3 disagrees with AWS_BATCH_JOB_ARRAY_SIZE'));
  it('a size of 0 is refused', () => expect(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '0' })).toThrow('AWS_BATCH_JOB_ARRAY_SIZE is "0", expected a whole number >= 1'));
});

describe('shardFromEnv: no or several schedulers', () => {
  it('an empty environment names the variables looked for', () => {
    expect(() => shardFromEnv({})).toThrow(UsageError);
    expect(() => shardFromEnv({})).toThrow(/SLURM_ARRAY_TASK_ID .* JOB_COMPLETION_INDEX .* AWS_BATCH_JOB_ARRAY_INDEX/);
  });
  it('an empty value counts as missing', () => expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '' })).toThrow(/no array-job environment found/));
  it('two schedulers at once are ambiguous', () => expect(() => shardFromEnv({ ...slurm(1, 1, 2), JOB_COMPLETION_INDEX: '0' }, 2)).toThrow('both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set'));
});

describe('--shard auto on the command line', () => {
  it('parseShard keeps "auto" for the environment', () => expect(parseShard('auto')).toBe('auto'));
  it('--shards without --shard auto is a usage error', () => expect(() => resolveShard({ k: 1, n: 2 }, 2, {})).toThrow('--shards N goes with --shard auto'));
  it('a missing environment is exit code 2 naming the variable', async () => {
    const err: string[] = [];
    const code = await runCli(['node', 'vtrial', 'run', 'protocols/t2d-weekly-injectable.yaml', '--replicates', '2', '--shard', 'auto', '--out', '/nonexistent/never-written'], {
      stdout: () => undefined,
      stderr: (s) => void err.push(s),
      interactive: false,
      env: { SLURM_ARRAY_TASK_ID: '1' },
    });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/SLURM_ARRAY_TASK_MIN is missing/);
  });
});
