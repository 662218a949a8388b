/** `npm run setup`: system packages, npm dependencies and a build — what both Quick start commands do first. */
import { build, ensureNodeModules, ensureSystemPackages } from './lib.mjs';

ensureSystemPackages({ forTests: process.argv.includes('--tests') });
ensureNodeModules({ skipElectronBinary: process.argv.includes('--no-electron') || !!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD });
build();
