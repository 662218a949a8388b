/** English strings shared by the main views' headers and empty states. */
export const views = {
  'board.title': 'Board',
  'board.noTasks': 'No tasks yet. Drop LLaMA-Factory config files (YAML/JSON) or a folder onto this window.',
  'runs.title': 'Runs',
  'runs.none': 'No runs yet. Drag a task onto a GPU card on the Board to start one.',
  'compare.title': 'Compare',
  'compare.none': 'Finished runs appear here, side by side.',
  'chat.title': 'Chat',
  'chat.none': 'Pick a finished run to chat with it.',
};
