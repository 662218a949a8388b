/** The empty assistant message an answer starts as, the same in the engine (stored) and the UI (shown before its first piece). */
import type { ChatMessage } from '../types/chat.js';

export function streamingAnswer(conversationId: string, id: string, createdAt = Date.now()): ChatMessage {
  return {
    id,
    conversationId,
    role: 'assistant',
    content: '',
    status: 'streaming',
    error: null,
    restartable: false,
    finishReason: null,
    stats: null,
    createdAt,
  };
}
