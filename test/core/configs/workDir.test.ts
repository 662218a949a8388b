/** The working-folder rule and how the LLaMA-Factory folder is found behind a llamafactory-cli (pip's records, real files). */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliPython, distInfo, lfFolderNearCli, readHead, sitePackagesOf } from '../../../src/core/configs/lfInstall.js';
import { taskWorkDir } from '../../../src/core/configs/workDir.js';
import { lfVenv } from './lfSources.js';

/** A LLaMA-Factory checkout and a venv whose llamafactory-cli was installed from it, the way pip lays them out. */
function layout(record: 'direct_url' | 'egg-link' | 'pth' | 'none', dirName = 'LLaMA-Factory') {
  const base = mkdtempSync(join(tmpdir(), 'ty-lfinst-'));
  const checkout = join(base, dirName);
  mkdirSync(join(checkout, 'data'), { recursive: true });
  mkdirSync(join(checkout, 'src', 'llamafactory'), { recursive: true });
  writeFileSync(join(checkout, 'data', 'dataset_info.json'), '{}');
  const venv = join(base, 'venv');
  const sp = join(venv, 'lib', 'python3.11', 'site-packages');
  mkdirSync(join(venv, 'bin'), { recursive: true });
  mkdirSync(sp, { recursive: true });
  const cli = join(venv, 'bin', 'llamafactory-cli');
  writeFileSync(cli, `#!${join(venv, 'bin', 'python3')}\n# -*- coding: utf-8 -*-\nimport re\n`);
  chmodSync(cli, 0o755);
  const dist = join(sp, 'llamafactory-0.9.6.dev0.dist-info');
  mkdirSync(dist);
  if (record === 'direct_url') writeFileSync(join(dist, 'direct_url.json'), JSON.stringify({ dir_info: { editable: true }, url: pathToFileURL(checkout).href }));
  if (record === 'egg-link') writeFileSync(join(sp, 'llamafactory.egg-link'), `${join(checkout, 'src')}\n.\n`);
  if (record === 'pth') writeFileSync(join(sp, '_editable_impl_llamafactory.pth'), join(checkout, 'src'));
  mkdirSync(join(sp, 'transformers-5.18.0.dist-info'));
  return { base, checkout, venv, sp, cli };
}

describe('the LLaMA-Factory folder behind llamafactory-cli', () => {
  it.each(['direct_url', 'egg-link', 'pth'] as const)('is found from pip\'s %s record of the install', (record) => {
    const l = layout(record);
    expect(cliPython(l.cli)).toBe(join(l.venv, 'bin', 'python3'));
    expect(sitePackagesOf(join(l.venv, 'bin', 'python3'))).toEqual([l.sp]);
    expect(distInfo([l.sp], 'transformers')).toEqual({ dir: join(l.sp, 'transformers-5.18.0.dist-info'), version: '5.18.0' });
    expect(lfFolderNearCli(l.cli)).toEqual({ path: l.checkout, how: 'editable' });
  });

  it('decodes a file URL with a space in the folder name', () => {
    const l = layout('direct_url', 'My LLaMA Factory');
    expect(lfFolderNearCli(l.cli)?.path).toBe(l.checkout);
  });

  it('falls back to a checkout around the CLI (a venv inside the checkout), and says when there is none', () => {
    const l = layout('none');
    expect(lfFolderNearCli(l.cli)).toBeNull();
    const inside = layout('none');
    const cli = join(inside.checkout, '.venv', 'bin', 'llamafactory-cli');
    mkdirSync(join(inside.checkout, '.venv', 'bin'), { recursive: true });
    writeFileSync(cli, '#!/usr/bin/env python3\n');
    expect(cliPython(cli)).toBe('python3');
    expect(lfFolderNearCli(cli)).toEqual({ path: inside.checkout, how: 'around-cli' });
  });

  const venv = lfVenv();
  it.skipIf(!venv.ok)(`is the editable checkout of the real LLaMA-Factory venv${venv.ok ? '' : ` (skipped: ${venv.why})`}`, () => {
    const v = (venv as { value: { root: string; cli: string } }).value;
    expect(lfFolderNearCli(v.cli)).toEqual({ path: join(v.root, 'llamafactory'), how: 'editable' });
  });

  it('reads only the head of regular files: a folder or a FIFO gives null, never a hang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-head-'));
    expect(readHead(dir)).toBeNull();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(readHead(fifo)).toBeNull();
    writeFileSync(join(dir, 'big'), 'x'.repeat(10_000));
    expect(readHead(join(dir, 'big'), 100)).toHaveLength(100);
  });
});

describe('taskWorkDir: one rule for the folder a task runs in', () => {
  const l = layout('direct_url');
  const inCheckout = join(l.checkout, 'examples', 'train_lora', 'x.yaml');
  const elsewhere = join(l.base, 'configs', 'y.yaml');
  const tasksDir = join(l.base, 'data', 'tasks');

  it('takes the folder set in Settings first', () => {
    expect(taskWorkDir({ sourcePath: inCheckout, settingsDir: '/opt/lf', cliFolder: l.checkout, tasksDir })).toEqual({ dir: '/opt/lf', source: 'settings' });
  });
  it('then the checkout the config sits in, then the one behind the CLI', () => {
    expect(taskWorkDir({ sourcePath: inCheckout, settingsDir: null, cliFolder: '/other/lf', tasksDir })).toEqual({ dir: l.checkout, source: 'near-config' });
    expect(taskWorkDir({ sourcePath: elsewhere, settingsDir: null, cliFolder: l.checkout, tasksDir })).toEqual({ dir: l.checkout, source: 'near-cli' });
  });
  it('else the config\'s folder; a config dropped in a browser follows the same rule, ending in the tasks folder', () => {
    expect(taskWorkDir({ sourcePath: elsewhere, settingsDir: null, cliFolder: null, tasksDir })).toEqual({ dir: join(l.base, 'configs'), source: 'config-folder' });
    expect(taskWorkDir({ sourcePath: null, settingsDir: null, cliFolder: l.checkout, tasksDir })).toEqual({ dir: l.checkout, source: 'near-cli' });
    expect(taskWorkDir({ sourcePath: null, settingsDir: null, cliFolder: null, tasksDir })).toEqual({ dir: tasksDir, source: 'tasks-folder' });
  });
});
