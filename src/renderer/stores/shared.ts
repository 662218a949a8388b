/** One upstream piece of work per key however many views want it: the first starts it, the last to leave stops it. */

/** A set of shared pieces of work (a refresh timer, a followed topic), each started once per key. */
export function sharedByKey(): (key: string, start: () => () => void) => () => void {
  const held = new Map<string, { users: number; stop: () => void }>();
  return (key, start) => {
    let w = held.get(key);
    if (!w) {
      w = { users: 0, stop: start() };
      held.set(key, w);
    }
    w.users++;
    const mine = w;
    let released = false;
    // Releasing twice (a React effect's cleanup run again) must not take another view's share.
    return () => {
      if (released) return;
      released = true;
      if (--mine.users === 0 && held.get(key) === mine) {
        held.delete(key);
        mine.stop();
      }
    };
  };
}
