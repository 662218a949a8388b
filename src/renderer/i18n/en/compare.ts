/** English strings of the compare feature. */
export const compare = {
  'compare.title': 'Compare',
  'compare.none': 'Finished runs appear here, side by side.',
};
