/** What launch.mjs learned about the app before main runs: its folder (or app.asar), package.json and data folders. */
export const standin = {
  /** Electron's app.getAppPath(): the folder given on the command line, or resources/app.asar when packaged. */
  appPath: '',
  pkg: /** @type {{ name?: string; productName?: string; version?: string; main?: string }} */ ({}),
  userData: '',
};
