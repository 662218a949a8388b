/** The engine's message catalogue: every code worded in both languages with the same placeholders, and said in the user's language. */
import { describe, expect, it } from 'vitest';
import { say, sayError } from '../../src/renderer/i18n/index.js';
import { engineEn, type MessageCode } from '../../src/shared/messages/catalogue.js';
import { asMessage, msg, verbatim } from '../../src/shared/messages/message.js';
import { engineZh } from '../../src/shared/messages/zhCatalogue.js';
import { ERROR_CODES, errorTitle, RpcError, rpcErrorOf } from '../../src/shared/rpc/errors.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('engine message catalogue', () => {
  it('has a non-empty Chinese wording with the same placeholders for every English code, and nothing extra', () => {
    const codes = Object.keys(engineEn) as MessageCode[];
    expect(codes.length).toBeGreaterThan(40);
    expect(Object.keys(engineZh).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect(engineEn[code].trim(), code).not.toBe('');
      expect(engineZh[code].trim(), code).not.toBe('');
      expect(placeholders(engineZh[code]), code).toEqual(placeholders(engineEn[code]));
    }
  });

  it('words a failed-run toast in Chinese, nested failure kind included, and keeps English text for logs', () => {
    const title = msg('toast.runFailed', { run: 'support', kind: msg('failure.kind.oom') });
    expect(title.text).toBe('support failed: Out of GPU memory');
    expect(say('zh', title)).toBe(`support 失败：${engineZh['failure.kind.oom']}`);
    expect(say('en', title)).toBe(title.text);
  });

  it('shows the trainer’s own words as written in every language', () => {
    const m = verbatim('torch.OutOfMemoryError: CUDA out of memory');
    expect(say('zh', m)).toBe('torch.OutOfMemoryError: CUDA out of memory');
  });

  it('reads what older versions stored (plain English) and codes it does not know (a newer engine) as their text', () => {
    expect(say('zh', asMessage('The trainer exited with code 1.'))).toBe('The trainer exited with code 1.');
    expect(say('zh', asMessage({ code: 'failure.fromTheFuture', text: 'Something new' }))).toBe('Something new');
    expect(say('zh', asMessage({ code: 'constructor', text: 'not a prototype key' }))).toBe('not a prototype key');
    expect(asMessage(msg('failure.exitCode', { code: '3' }))).toEqual(msg('failure.exitCode', { code: '3' }));
  });

  it('leaves a placeholder without a value visible rather than inventing one', () => {
    expect(msg('failure.exitCode').text).toBe('The trainer exited with code {code}.');
  });
});

describe('engine errors in the user’s language', () => {
  it('words a coded error fully, and names the kind of an English-only error in Chinese', () => {
    expect(sayError('zh', new RpcError('not_found', msg('failure.exitCode', { code: '3' })))).toBe('训练进程以退出码 3 结束。');
    expect(sayError('zh', new RpcError('conflict', 'That task is already queued.'))).toBe(`${engineZh['error.conflict']}：That task is already queued.`);
    expect(sayError('en', new RpcError('conflict', 'That task is already queued.'))).toBe('That task is already queued.');
  });

  it('reads a code it does not know (another engine version) as internal', () => {
    expect(rpcErrorOf({ code: 'gone_fishing' as never, message: 'x' }).code).toBe('internal');
    for (const code of ERROR_CODES) expect(engineZh[errorTitle(code)]).toBeTruthy();
  });
});
