/** English strings of the gpus feature. */
export const gpus = {
  'gpus.title': 'GPUs',
};
