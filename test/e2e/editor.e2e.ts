/** e2e of the config editor (CodeMirror) in Chromium: completion, hover docs, issues at their line, diff with the file, save back, refusal after an outside change. */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
const dir = mkdtempSync(join(tmpdir(), 'trainyard-editor-'));
const file = join(dir, 'support.yaml');
const docShots = join(repoRoot, 'docs', 'screenshots');

async function shot(name: string): Promise<void> {
  const p = await screenshot(page, name);
  mkdirSync(docShots, { recursive: true });
  copyFileSync(p, join(docShots, `${name}.png`));
}

beforeAll(async () => {
  writeFileSync(
    file,
    portableExample('support-lora.yaml', join(dir, 'out')),
  );
  ({ serve, api, browser, page } = await openApp({ fakeGpus: '2', setup: (api) => api.call('tasks.import', { paths: [file] }) }));
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

const editor = () => page.getByTestId('config-editor');
const content = () => editor().locator('.cm-content');

describe('config editor', () => {
  it('completes keys from the catalogue, shows their docs on hover and marks a misspelled key at its line', async () => {
    const card = page.getByTestId('task-card').and(page.locator('[data-task="support"]'));
    await card.getByTestId('task-actions').click();
    await page.getByTestId('task-editor').click();
    await content().waitFor({ timeout: 20_000 });
    await content().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nmax_grad_n');
    const list = page.locator('.cm-tooltip-autocomplete');
    await list.getByText('max_grad_norm').first().waitFor({ timeout: 10_000 });
    // Esc closes the list, not the dialog.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await editor().isVisible()).toBe(true);
    await page.keyboard.type('orm: 0.5\nlearning_rat: 0.1');
    // The engine's issue for the unknown key sits on its line (the last one).
    const marked = editor().locator('.cm-lintRange-error');
    // Linting follows typing (400 ms after the last key): wait for the run over the finished text.
    await expect.poll(() => marked.allInnerTexts(), { timeout: 15_000 }).toEqual(['learning_rat: 0.1']);
    expect(await page.getByTestId('editor-counts').innerText()).toMatch(/^[1-9]\d* errors/);
    await editor().locator('.cm-line', { hasText: /^cutoff_len:/ }).locator('text=cutoff_len').hover();
    const doc = page.getByTestId('editor-hover');
    await doc.waitFor({ timeout: 10_000 });
    expect(await doc.innerText()).toMatch(/cutoff_len[\s\S]*type int[\s\S]*default 2048/);
    await shot('editor-en');
  });

  it('shows the difference with the file, saves back to it (comments kept), and refuses after an outside change', async () => {
    // Remove the misspelled line: select it (Home, Shift+End) and delete it with its line break.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.getByTestId('editor-diff').check();
    await editor().locator('.cm-insertedLine, .cm-changedLine').first().waitFor({ timeout: 10_000 });
    await shot('editor-diff-en');
    await page.getByTestId('editor-save').click();
    await waitUntil('the file to be saved', async () => readFileSync(file, 'utf8').includes('max_grad_norm: 0.5'), 15_000);
    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain('# Online-shop customer service');
    expect(saved.endsWith('max_grad_norm: 0.5')).toBe(true);
    const task = (await api.call('tasks.list', {})).find((t) => t.name === 'support')!;
    expect(task.yaml).toBe(saved);

    // Someone else edits the file; saving again must not drop their line.
    appendFileSync(file, '\n# added in another editor\n');
    await content().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nseed: 7');
    await page.getByTestId('editor-save').click();
    const err = page.getByTestId('editor-error');
    await err.waitFor({ timeout: 10_000 });
    expect(await err.innerText()).toMatch(/support.yaml changed on disk since the editor loaded it/);
    expect(readFileSync(file, 'utf8')).toContain('# added in another editor');
    expect(readFileSync(file, 'utf8')).not.toContain('seed: 7');
  });

  it('reads in Chinese', async () => {
    await api.call('settings.update', { language: 'zh' });
    await editor().getByRole('button', { name: '保存到文件' }).waitFor();
    expect(await page.getByTestId('editor-error').innerText()).toContain('support.yaml 已在磁盘上被修改');
    await shot('editor-zh');
    await api.call('settings.update', { language: 'en' });
  });

  it('words the validation issues of an imported config in Chinese, on its card and in the editor', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(file, 'utf8')
        .replace(/^dataset: .+$/m, 'dataset: no_such_set')
        .replace(/^num_train_epochs: .+$/m, 'num_train_epochs: many')
        .concat('\nlearning_rat: 0.1\n'),
    );
    // The earlier tests leave the support task's editor open (this one also runs alone with -t).
    if (await editor().isVisible()) {
      await editor().getByRole('button', { name: 'Close', exact: true }).last().click();
      await editor().waitFor({ state: 'detached' });
    }
    await api.call('tasks.import', { paths: [broken] });
    await api.call('settings.update', { language: 'zh' });
    const card = page.getByTestId('task-card').and(page.locator('[data-task="broken"]'));
    const issues = card.getByTestId('task-issues');
    await expect.poll(() => issues.innerText(), { timeout: 15_000 }).toContain('未知的键 learning_rat');
    const text = await issues.innerText();
    expect(text).toContain('num_train_epochs 必须是数字，实际是 many');
    expect(text).toContain('数据集 "no_such_set" 不在');
    expect(text).not.toMatch(/Unknown key|must be a number|is not in/);
    // The message already names the fix ("是不是想写 learning_rate？"): it is not repeated after it.
    expect(text.match(/learning_rate/g)).toHaveLength(1);

    // A blocked card's menu stays enabled (also to assistive technology): the editor is how it gets fixed.
    await card.getByTestId('task-actions').click();
    await page.getByTestId('task-editor').click();
    const marked = editor().locator('.cm-lintRange-error', { hasText: 'learning_rat' });
    await marked.waitFor({ timeout: 20_000 });
    await marked.hover();
    const tip = page.locator('.cm-tooltip-lint');
    await tip.waitFor({ timeout: 10_000 });
    expect(await tip.innerText()).toContain('未知的键 learning_rat');
    expect(await tip.innerText()).not.toContain('Unknown key');
    expect((await tip.innerText()).match(/learning_rate/g)).toHaveLength(1);
    await api.call('settings.update', { language: 'en' });
  });
});
