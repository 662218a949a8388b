/** Why a file given to import is skipped: each reason is a catalogue Message whose English is the reason, in both languages. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatherDropped, gatherPaths, MAX_CONFIG_BYTES } from '../../../src/core/configs/gatherFiles.js';
import { fill, type Message } from '../../../src/shared/messages/message.js';
import { engineZh } from '../../../src/shared/messages/zhCatalogue.js';

const dir = mkdtempSync(join(tmpdir(), 'ty-gather-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);

describe('import skip reasons', () => {
  it('says why each file is skipped, as a Message whose English is the reason', async () => {
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x6b, 0x3a, 0x00, 0x01]));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9]));
    writeFileSync(join(dir, 'huge.yaml'), 'a'.repeat(MAX_CONFIG_BYTES + 1));
    const names = ['empty', 'notes.txt', 'binary.yaml', 'latin1.yaml', 'huge.yaml', 'gone.yaml'];
    const g = await gatherPaths(names.map((n) => join(dir, n)));
    const d = gatherDropped([{ name: 'dropped.yaml', content: 'k: \u0000\u0001' }]);
    const skipped = [...g.skipped, ...d.skipped];
    for (const s of skipped) expect(s.said.text).toBe(s.reason);
    expect(skipped.map((s) => s.said.code)).toEqual([
      'config.skip.emptyFolder',
      'config.skip.notConfigName',
      'config.refused.binary',
      'config.skip.notUtf8',
      'config.skip.tooLarge',
      'config.skip.cannotRead',
      'config.refused.binary',
    ]);
    expect(skipped.map((s) => zh(s.said))).toEqual([
      '该文件夹中没有 .yaml、.yml 或 .json 文件',
      '不是 .yaml、.yml 或 .json 文件',
      '不是文本（二进制内容）：配置应是 YAML 或 JSON 文本文件',
      '不是文本：不是有效的 UTF-8（LLaMA-Factory 按 UTF-8 读取配置）',
      '大于 2 MB：不是配置文件',
      '无法读取：ENOENT',
      '不是文本（二进制内容）：配置应是 YAML 或 JSON 文本文件',
    ]);
  });
});
