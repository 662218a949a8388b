/** The lane rule for remote boxes (`<box>/<lane>`) and the remotes.add parameters (box name, URL, token). */
import { describe, expect, it } from 'vitest';
import { remoteMethods } from '../../../src/shared/contract/remotes.js';
import { BOX_NAME_RE, boxed, LANE_ID_RE, laneBox, laneSlurmPartition, unbox } from '../../../src/shared/domain/lanes.js';

describe('lanes of remote boxes', () => {
  it('names a box lane <box>/<lane> with the lane as the box names it', () => {
    for (const ok of ['box-a/gpu:GPU-5eed0000-0000-4000-8000-000000000000', 'b2/auto', 'lab/slurm:debug', 'b/gpu:3']) expect(LANE_ID_RE.test(ok), ok).toBe(true);
    for (const bad of ['Box/gpu:1', 'a/b/gpu:1', '-a/auto', 'box a/auto', 'box/', '/gpu:1', 'box/cpu:0', `${'x'.repeat(33)}/auto`]) expect(LANE_ID_RE.test(bad), bad).toBe(false);
    expect(laneBox('box-a/gpu:3')).toEqual({ box: 'box-a', lane: 'gpu:3' });
    expect(laneBox('gpu:GPU-1')).toBeNull();
    expect(laneBox('slurm:debug')).toBeNull();
    // A remote Slurm lane is the box's, not this engine's partition.
    expect(laneSlurmPartition('lab/slurm:debug')).toBeNull();
    expect(unbox(boxed('box-b', 'run_1'))).toEqual({ box: 'box-b', id: 'run_1' });
    expect(unbox('run_1')).toBeNull();
    expect(BOX_NAME_RE.test('a')).toBe(true);
    expect(BOX_NAME_RE.test('a-')).toBe(false);
  });

  it('takes http(s) URLs without credentials, a box name that fits a lane id, and a token of the token alphabet', () => {
    const add = remoteMethods['remotes.add'].params;
    const token = 'abcdefghijklmnop0123';
    expect(add.safeParse({ name: 'box-a', url: 'http://10.0.0.2:7433', token }).success).toBe(true);
    expect(add.safeParse({ name: 'box-a', url: 'https://gpu.lab.example/trainyard/', token }).success).toBe(true);
    for (const url of ['ftp://h/', 'http://user:pw@h:7433', 'http://h:7433/?token=x', 'http://h/#token=abc', 'file:///etc/passwd', 'javascript:alert(1)', 'h:7433']) {
      expect(add.safeParse({ name: 'box-a', url, token }).success, url).toBe(false);
    }
    expect(add.safeParse({ name: 'Box A', url: 'http://h:1', token }).success).toBe(false);
    expect(add.safeParse({ name: 'box-a', url: 'http://h:1', token: 'short' }).success).toBe(false);
    expect(add.safeParse({ name: 'box-a', url: 'http://h:1', token: 'x'.repeat(20) + ' ' }).success).toBe(false);
  });
});
