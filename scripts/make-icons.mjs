/**
 * Renders resources/build/icon.svg to the PNG sizes Linux desktops use (resources/build/icons/<n>x<n>.png, the
 * folder electron-builder's linux.icon names) with headless Chromium. Run after changing the SVG; the PNGs are
 * committed so packaging needs no browser.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './lib.mjs';

export const iconSizes = [16, 24, 32, 48, 64, 128, 256, 512];

const svg = readFileSync(join(root, 'resources', 'build', 'icon.svg'), 'utf8');
const out = join(root, 'resources', 'build', 'icons');
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const n of iconSizes) {
    await page.setViewportSize({ width: n, height: n });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${n}" height="${n}" `)}</body></html>`);
    await page.screenshot({ path: join(out, `${n}x${n}.png`), omitBackground: true, clip: { x: 0, y: 0, width: n, height: n } });
    console.log(`${n}x${n}.png`);
  }
} finally {
  await browser.close();
}
