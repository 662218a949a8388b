/** A skipped file's reason in the user's language: the browser's own skips and the engine's are catalogue Messages; an older engine's plain reason shows as written. */
import { describe, expect, it } from 'vitest';
import { gatherPicked } from '../../../src/renderer/features/board/importFiles.js';
import { say, skipSaid } from '../../../src/renderer/i18n/index.js';
import { msg } from '../../../src/shared/messages/message.js';

const file = (name: string, size: number) => new File(['a'.repeat(size)], name);

describe('import skip reasons in the renderer', () => {
  it("words the browser's skips (not a config, too large) from the catalogue, English unchanged as the reason", async () => {
    const g = await gatherPicked([file('notes.txt', 3), file('huge.yaml', 2_000_001), file('ok.yaml', 3)] as unknown as FileList);
    expect(g.files.map((f) => f.name)).toEqual(['ok.yaml']);
    expect(g.skipped.map((s) => [s.name, s.said?.code, s.said?.text === s.reason])).toEqual([
      ['notes.txt', 'config.skip.notConfigName', true],
      ['huge.yaml', 'config.skip.tooLarge', true],
    ]);
    expect(g.skipped.map((s) => say('zh', skipSaid(s)))).toEqual(['不是 .yaml、.yml 或 .json 文件', '大于 2 MB：不是配置文件']);
  });

  it("says the engine's Message in the user's language, and an older engine's plain reason as written", () => {
    const said = msg('config.skip.alreadyImported');
    expect(say('zh', skipSaid({ reason: said.text, said }))).toBe('已导入过（同一文件、内容相同）');
    expect(say('zh', skipSaid({ reason: 'something older' }))).toBe('something older');
  });
});
