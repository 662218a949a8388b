/** /proc reading: stat parsing (odd command names), ancestor chains of real processes, command names. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ancestorsOf, commandName, parseProcStat } from '../../../src/core/gpu/processTree.js';

describe('processTree', () => {
  it('parses a stat line whose command name contains spaces and parentheses', () => {
    const s = parseProcStat('4242 (python3 (x) y) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 31 0 0 20 0 1 0 1 2 3');
    expect(s).toEqual({ pid: 4242, comm: 'python3 (x) y', state: 'S', ppid: 17, utime: 250, stime: 31 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('walks a real chain: grandchild → child → this process', async () => {
    // sh starts sleep as its child; sleep's ancestors must include sh and then us.
    // Own process group: the cleanup kills sh AND its sleep (killing sh alone would orphan the sleep).
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
    try {
      let sleepPid: number | null = null;
      for (let i = 0; i < 100 && sleepPid === null; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const { readFileSync } = await import('node:fs');
        try {
          const kids = readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8').trim();
          if (kids) sleepPid = Number(kids.split(/\s+/)[0]);
        } catch {
          /* not there yet */
        }
      }
      expect(sleepPid).not.toBeNull();
      const chain = ancestorsOf(sleepPid!);
      expect(chain.slice(0, 2)).toEqual([sh.pid, process.pid]);
      expect(commandName(sleepPid!)).toBe('sleep');
      expect(commandName(sh.pid!)).toBe('sh');
    } finally {
      process.kill(-sh.pid!, 'SIGKILL');
    }
  });

  it('answers empty/null for a process that does not exist', () => {
    expect(ancestorsOf(2 ** 22 + 12345)).toEqual([]);
    expect(commandName(2 ** 22 + 12345)).toBeNull();
  });
});
