/** English strings of the runs feature. */
export const runs = {
  'runs.title': 'Runs',
  'runs.none': 'No runs yet. Drag a task onto a GPU card on the Board to start one.',
};
