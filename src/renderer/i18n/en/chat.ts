/** English strings of the chat feature. */
export const chat = {
  'chat.title': 'Chat',
  'chat.none': 'Pick a finished run to chat with it.',
};
