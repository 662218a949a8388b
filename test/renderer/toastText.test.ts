/** Engine toasts read in the UI's language from their event; toasts without one keep the engine's text. */
import { describe, expect, it } from 'vitest';
import { toastText } from '../../src/renderer/components/toastText.js';
import { translate, type Translate } from '../../src/renderer/i18n/index.js';
import type { Toast } from '../../src/shared/types/system.js';

const zh: Translate = (key, vars) => translate('zh', key, vars);
const en: Translate = (key, vars) => translate('en', key, vars);
const base = { id: 't', level: 'error', title: 'support failed', body: 'raw', at: 0 } as const;

describe('toastText', () => {
  it('words a failed run in Chinese with the failure kind and the log line', () => {
    const toast: Toast = { ...base, event: { kind: 'run.failed', run: 'support', failureKind: 'oom', message: 'CUDA out of memory' } };
    expect(toastText(zh, toast)).toEqual({ title: 'support 失败', body: `${translate('zh', 'runs.failure.kind.oom')}: CUDA out of memory` });
    expect(toastText(en, toast).title).toBe('support failed');
  });

  it('shows the final loss of a finished run, and falls back to the engine text without an event', () => {
    expect(toastText(zh, { ...base, level: 'success', event: { kind: 'run.finished', run: 'a', loss: 0.12 } })).toEqual({
      title: 'a 已完成',
      body: '最终 loss 0.12',
    });
    expect(toastText(zh, { ...base })).toEqual({ title: 'support failed', body: 'raw' });
  });
});
