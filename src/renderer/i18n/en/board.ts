/** English strings of the board feature. */
export const board = {
  'board.title': 'Board',
  'board.noTasks': 'No tasks yet. Drop LLaMA-Factory config files (YAML/JSON) or a folder onto this window.',
};
