/**
 * Starts a built Electron main process under Node, as `electron <app>` would: `node --import register.mjs launch.mjs
 * <app folder | resources/app.asar>`. Electron reads package.json's main from the app (inside app.asar when packed),
 * sets process.resourcesPath and app paths, then runs main. The user-data folder comes from STANDIN_USER_DATA.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readAppFile } from './appFiles.mjs';
import { standin } from './state.mjs';

const given = process.argv[2];
if (!given) {
  console.error('usage: node --import register.mjs launch.mjs <app folder | app.asar>');
  process.exit(2);
}
const appPath = resolve(given);
standin.appPath = appPath;
standin.pkg = JSON.parse(readAppFile(join(appPath, 'package.json')).toString('utf8'));
standin.userData = process.env.STANDIN_USER_DATA ?? join(process.env.HOME ?? '/tmp', '.config', standin.pkg.productName ?? standin.pkg.name ?? 'Electron');
// Electron: <install>/resources beside a packaged app's archive; its own dist/resources for `electron .`.
process.resourcesPath = appPath.endsWith('.asar') ? dirname(appPath) : join(dirname(process.execPath), 'resources');
process.argv = [process.execPath, ...(appPath.endsWith('.asar') ? [] : [appPath])];

const main = join(appPath, standin.pkg.main ?? 'index.js');
if (!appPath.endsWith('.asar') && !existsSync(main)) {
  console.error(`No built main process at ${main}: run \`npm run build:electron\` first.`);
  process.exit(1);
}
await import(pathToFileURL(main).href);
