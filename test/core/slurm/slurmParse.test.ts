/** Slurm's outputs as Trainyard reads them (GRES strings, sinfo, squeue lines), the job script's quoting, and job states → run status. */
import { describe, expect, it } from 'vitest';
import { gpusInGres, parseCluster } from '../../../src/core/slurm/cluster.js';
import { jobScript, sbatchArgv, shellQuote } from '../../../src/core/slurm/jobScript.js';
import { failureFor, runStatusFor } from '../../../src/core/slurm/jobStates.js';
import { parseSqueue } from '../../../src/core/slurm/jobReport.js';
import { laneSlurmPartition, LANE_ID_RE } from '../../../src/shared/domain/lanes.js';

describe('Slurm parsing', () => {
  it('counts GPUs in GRES strings with types, socket and index lists, and other GRES', () => {
    expect(gpusInGres('gpu:2')).toBe(2);
    expect(gpusInGres('gpu:a100:4(S:0-1)')).toBe(4);
    expect(gpusInGres('gpu:a100:2(IDX:0,2),gpu:v100:1(IDX:3)')).toBe(3);
    expect(gpusInGres('shard:8,gpu:1')).toBe(1);
    expect(gpusInGres('(null)')).toBe(0);
    expect(gpusInGres('')).toBe(0);
  });

  it('reads partitions (default marked, hidden ones absent) with their nodes, drained shown as such', () => {
    const nodes = JSON.stringify({
      nodes: [
        { name: 'n1', state: 'mixed', state_flags: [], gres: 'gpu:a100:4', gres_used: 'gpu:a100:1(IDX:0)', cpus: 64, partitions: ['gpu', 'debug'] },
        { name: 'n2', state: 'idle', state_flags: ['DRAIN'], reason: 'bad fan', gres: 'gpu:4', gres_used: 'gpu:0', cpus: 64, partitions: ['gpu'] },
        { name: 'c1', state: 'idle', gres: '', cpus: 8, partitions: ['cpu'] },
      ],
    });
    const parts = parseCluster('debug*|up|1:00:00\ngpu|up|infinite\nbad name|up|1\n', nodes);
    expect(parts.map((p) => p.name)).toEqual(['debug', 'gpu']);
    expect(parts[0]).toMatchObject({ isDefault: true, availability: 'up', timeLimit: '1:00:00' });
    const gpu = parts[1]!;
    expect(gpu.nodes.map((n) => [n.name, n.state, n.gpusTotal, n.gpusUsed, n.reason])).toEqual([
      ['n1', 'mixed', 4, 1, null],
      ['n2', 'idle+drain', 4, 0, 'bad fan'],
    ]);
  });

  it('reads squeue lines; None is no reason', () => {
    const m = parseSqueue('12|PENDING|Resources|\n13|RUNNING|None|node[1-2]\n');
    expect(m.get('12')).toEqual({ state: 'PENDING', reason: 'Resources', nodeList: '' });
    expect(m.get('13')).toEqual({ state: 'RUNNING', reason: null, nodeList: 'node[1-2]' });
  });

  it('maps job states to run statuses; a cancel Trainyard asked for is a stop', () => {
    expect(runStatusFor('PENDING', false)).toBe('starting');
    expect(runStatusFor('PREEMPTED', false)).toBe('starting');
    expect(runStatusFor('RUNNING', false)).toBe('running');
    expect(runStatusFor('RUNNING', true)).toBe('stopping');
    expect(runStatusFor('COMPLETED', false)).toBe('finished');
    expect(runStatusFor('CANCELLED', true)).toBe('stopped');
    for (const s of ['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'CANCELLED']) expect(runStatusFor(s, false)).toBe('failed');
    expect(failureFor('OUT_OF_MEMORY', '7', null, null).kind).toBe('oom');
    expect(failureFor('TIMEOUT', '7', 'TimeLimit', null).message.text).toBe('Slurm job 7 reached its time limit (TimeLimit).');
  });

  it('names lanes by the one rule', () => {
    expect(laneSlurmPartition('slurm:gpu-a100')).toBe('gpu-a100');
    expect(laneSlurmPartition('gpu:GPU-1')).toBeNull();
    expect(LANE_ID_RE.test('slurm:a b')).toBe(false);
    expect(LANE_ID_RE.test('slurm:debug')).toBe(true);
  });
});

describe('job script', () => {
  const input = {
    runId: 'run_1',
    name: "it's\nname",
    partition: 'debug',
    request: { nodes: 2, gpusPerNode: 4, timeLimit: '2:00:00', account: 'lab', qos: null },
    runDir: '/data/runs/run_1',
    workDir: '/work dir',
    outputDir: '/out/x',
    argv: ['/usr/bin/llamafactory-cli', 'train', "/data/it's $(rm -rf).yaml"],
    masterPort: 29501,
    hasDeepspeed: false,
  };

  it('quotes every argument for the shell so no path is ever read as code', () => {
    expect(shellQuote("a'b $(x)")).toBe(`'a'\\''b $(x)'`);
    const text = jobScript(input);
    expect(text).toContain(`'/data/it'\\''s $(rm -rf).yaml'`);
    // A newline in a run name stays in its comment line.
    expect(text.split('\n')[1]).toContain("it's name");
  });

  it('asks sbatch for nodes × GPUs, time and account; a path with spaces stays on the command line only', () => {
    const argv = sbatchArgv(input);
    expect(argv).toEqual(expect.arrayContaining(['--parsable', '--partition=debug', '--nodes=2', '--gres=gpu:4', '--time=2:00:00', '--account=lab', '--chdir=/work dir', '--requeue']));
    expect(argv.some((a) => a.startsWith('--qos'))).toBe(false);
    expect(argv.at(-1)).toBe('/data/runs/run_1/job.sh');
    const text = jobScript(input);
    expect(text).toContain('#SBATCH --nodes=2');
    expect(text).not.toContain('#SBATCH --chdir');
    // Two nodes: LLaMA-Factory must launch torchrun even on one GPU per node.
    expect(text).toContain("export FORCE_TORCHRUN='1'");
    expect(text).toContain("export NPROC_PER_NODE='4'");
  });
});
