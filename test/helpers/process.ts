/** Process helpers shared by unit and e2e tests. */

/** Whether a process with this pid exists (signal 0 probes without signalling); false for a missing pid. */
export function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
