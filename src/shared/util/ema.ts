/** Debiased exponential moving average of a curve, the smoothing TensorBoard applies to scalar plots. */

/**
 * `weight` in [0, 1): 0 = raw values. Like TensorBoard, the running average starts at 0 and is divided by
 * (1 - weight^n) so the first points are not dragged towards zero; non-finite values are passed through and
 * do not enter the average (a NaN loss must not turn the rest of the curve into NaN).
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}
