/** A stand-in API object that fails loudly on anything it does not implement, so a missing API is never mistaken for a pass. */
import { tell } from './bridge.mjs';

/** Properties JavaScript itself probes (await, inspection, coercion): absent, not errors. */
const probes = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType']);

export function strict(name, target) {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'symbol' || prop in t || probes.has(prop)) {
        const v = Reflect.get(t, prop, receiver);
        // Methods run on the object itself: its private fields are not reachable through the proxy.
        return typeof v === 'function' && typeof prop === 'string' && prop !== 'constructor' ? v.bind(t) : v;
      }
      const err = new Error(`The Electron stand-in (test/desktop/standin) does not implement ${name}.${String(prop)}: main uses an API the desktop tests cannot check. Implement it in test/desktop/standin/electron.mjs.`);
      tell({ t: 'missing', name: `${name}.${String(prop)}`, stack: err.stack });
      throw err;
    },
  });
}
