/** Largest-Triangle-Three-Buckets downsampling: keeps a curve's visual shape with few points (engine and renderer share it). */

/**
 * Picks at most `threshold` items of `data` (in order, first and last always kept). `x`/`y` read an item's
 * coordinates; items whose y is null are skipped by the triangle test but buckets still advance over them.
 */
export function lttb<T>(data: readonly T[], threshold: number, x: (d: T) => number, y: (d: T) => number | null): T[] {
  const n = data.length;
  if (threshold >= n || threshold < 3) return threshold < 3 && n > threshold ? data.slice(0, Math.max(0, threshold)) : [...data];
  const out: T[] = [data[0]!];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      const yj = y(data[j]!);
      if (yj === null || !Number.isFinite(yj)) continue;
      avgX += x(data[j]!);
      avgY += yj;
      count++;
    }
    if (count) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = x(data[Math.min(nextStart, n - 1)]!);
      avgY = y(data[a]!) ?? 0;
    }
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = x(data[a]!);
    const ay = y(data[a]!) ?? avgY;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const yj = y(data[j]!);
      const area = yj === null || !Number.isFinite(yj) ? -0.5 : Math.abs((ax - avgX) * (yj - ay) - (ax - x(data[j]!)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(data[best]!);
    a = best;
  }
  out.push(data[n - 1]!);
  return out;
}
