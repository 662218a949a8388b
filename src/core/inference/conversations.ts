/** Conversations per run in SQLite: send, regenerate and stop answers, with the history rules LLaMA-Factory's API enforces. */
import { RpcError } from '../../shared/rpc/protocol.js';
import { type ChatMessage, type Conversation, DEFAULT_GEN_PARAMS, type GenParams } from '../../shared/types/chat.js';
import type { ChatRepo } from '../store/chatRepo.js';
import { newId } from '../util/ids.js';
import type { Answerer } from './answer.js';
import type { WireMessage } from './streamChat.js';
import { streamingAnswer } from '../../shared/util/chatMessage.js';

/**
 * The API accepts an optional system message, then strict user/assistant alternation ending with a user turn
 * (LLAMAFACTORY.md §4). Exchanges whose answer failed or came back empty are left out, so one error never poisons the rest.
 */
export function wireHistory(system: string, messages: ChatMessage[]): WireMessage[] {
  const out: WireMessage[] = system.trim() ? [{ role: 'system', content: system }] : [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    const next = messages[i + 1];
    if (next?.role === 'assistant') {
      if (next.content && next.status !== 'error') out.push({ role: 'user', content: m.content }, { role: 'assistant', content: next.content });
      i++;
    } else if (i === messages.length - 1) out.push({ role: 'user', content: m.content });
  }
  return out;
}

export class Conversations {
  constructor(
    private repo: ChatRepo,
    private answerer: Answerer,
  ) {}

  need(id: string): Conversation {
    const c = this.repo.conversation(id);
    if (!c) throw new RpcError('not_found', `No conversation ${id}.`);
    return c;
  }

  create(opts: { runId: string; checkpoint: string | null; system?: string; params?: GenParams; comparisonId?: string | null; title?: string }): Conversation {
    const now = Date.now();
    const c: Conversation = {
      id: newId('conv'),
      runId: opts.runId,
      checkpoint: opts.checkpoint,
      title: opts.title ?? 'New chat',
      system: opts.system ?? '',
      params: opts.params ?? DEFAULT_GEN_PARAMS,
      comparisonId: opts.comparisonId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.repo.saveConversation(c);
    return c;
  }

  update(id: string, patch: { title?: string; system?: string; params?: GenParams }): Conversation {
    const c = { ...this.need(id), ...patch, updatedAt: Date.now() };
    this.repo.saveConversation(c);
    return c;
  }

  send(conversationId: string, content: string): { user: ChatMessage; assistant: ChatMessage; done: Promise<ChatMessage> } {
    const conv = this.need(conversationId);
    const busy = this.repo.messages(conversationId).find((m) => m.status === 'streaming' && this.answerer.isStreaming(m.id));
    if (busy) throw new RpcError('conflict', 'An answer is still streaming in this chat: stop it or wait for it.');
    const now = Date.now();
    const user: ChatMessage = {
      id: newId('msg'),
      conversationId,
      role: 'user',
      content,
      status: 'done',
      error: null,
      restartable: false,
      finishReason: null,
      stats: null,
      createdAt: now,
    };
    this.repo.saveMessage(user);
    if (conv.title === 'New chat') this.repo.saveConversation({ ...conv, title: content.replace(/\s+/g, ' ').slice(0, 60), updatedAt: now });
    const { assistant, done } = this.startAnswer(conv);
    return { user, assistant, done };
  }

  /** Drops the last answer and asks again with the same history. */
  regenerate(conversationId: string): { assistant: ChatMessage; done: Promise<ChatMessage> } {
    const conv = this.need(conversationId);
    const msgs = this.repo.messages(conversationId);
    const last = msgs.at(-1);
    if (!last) throw new RpcError('bad_request', 'Nothing to regenerate: the chat is empty.');
    if (last.role === 'assistant') {
      if (this.answerer.isStreaming(last.id)) throw new RpcError('conflict', 'The answer is still streaming: stop it first.');
      this.repo.deleteMessage(last.id);
    }
    return this.startAnswer(conv);
  }

  private startAnswer(conv: Conversation): { assistant: ChatMessage; done: Promise<ChatMessage> } {
    const history = wireHistory(conv.system, this.repo.messages(conv.id));
    const assistant = streamingAnswer(conv.id, newId('msg'));
    this.repo.saveMessage(assistant);
    let savedAt = Date.now();
    const done = this.answerer
      .answer({
        target: { runId: conv.runId, checkpoint: conv.checkpoint },
        messages: history,
        params: conv.params,
        eventId: conv.id,
        messageId: assistant.id,
        onText: (content) => {
          // Keep what streamed so far on disk about once a second: an engine crash then loses at most a second.
          if (Date.now() - savedAt > 1000) {
            savedAt = Date.now();
            this.repo.saveMessage({ ...assistant, content });
          }
        },
      })
      .then((out) => {
        const final: ChatMessage = { ...assistant, ...out };
        this.repo.saveMessage(final);
        this.repo.touch(conv.id, Date.now());
        return final;
      });
    return { assistant, done };
  }

  messages(conversationId: string): ChatMessage[] {
    this.need(conversationId);
    return this.repo.messages(conversationId);
  }

  /** The user's own conversations (of one run, or all), newest first. */
  list(runId?: string): Conversation[] {
    return this.repo.conversations(runId);
  }

  /** Deletes a conversation; its answers still streaming are stopped first. */
  remove(id: string): void {
    for (const m of this.messages(id)) this.answerer.stop(m.id);
    this.repo.deleteConversation(id);
  }
}
