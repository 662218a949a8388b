/** What every stand-in API shares: reporting a call to the test, and events main may cancel. */
import { tell } from './bridge.mjs';

/** Tells the test that main called `api` (functions in the arguments become '[function]'). */
export const record = (api, ...args) => tell({ t: 'call', api, args: JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === 'function' ? '[function]' : v))) });

/** An event Electron lets listeners cancel. */
export const preventable = (extra = {}) => {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true), ...extra };
  return e;
};
