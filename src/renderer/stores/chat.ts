/** Chat state: runs to chat with, inference servers, the open conversation and its streaming messages, comparisons, prompt sets. */
import { isActiveStatus } from '../../shared/domain/runState.js';
import { create } from 'zustand';
import type { ChatDelta, ChatMessage, ChatServer, ChatTarget, Comparison, Conversation, GenParams, PromptRun, PromptSet, VoteChoice } from '../../shared/types/chat.js';
import type { Run } from '../../shared/types/run.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { streamingAnswer } from '../../shared/util/chatMessage.js';

export const sameTarget = (a: ChatTarget | null, b: ChatTarget | null) => !!a && !!b && a.runId === b.runId && (a.checkpoint ?? null) === (b.checkpoint ?? null);

interface ChatState {
  runs: Run[];
  servers: Record<string, ChatServer>;
  target: ChatTarget | null;
  conversations: Conversation[];
  conversationId: string | null;
  /** Messages per conversation (also the hidden columns of comparisons and prompt runs' answers). */
  messages: Record<string, ChatMessage[]>;
  comparison: Comparison | null;
  promptSets: PromptSet[];
  promptRun: PromptRun | null;
  error: string | null;
  loadRuns(): Promise<void>;
  openTarget(t: ChatTarget): Promise<void>;
  closeTarget(): Promise<void>;
  restartServer(): Promise<void>;
  newConversation(): Promise<void>;
  selectConversation(id: string): Promise<void>;
  updateConversation(patch: { system?: string; params?: GenParams }): Promise<void>;
  send(text: string): Promise<void>;
  stop(messageId: string): Promise<void>;
  regenerate(): Promise<void>;
  compare(targets: ChatTarget[], prompt: string, blind: boolean): Promise<void>;
  vote(v: VoteChoice): Promise<void>;
  loadPromptSets(): Promise<void>;
  importPromptSet(name: string, jsonl: string): Promise<void>;
  runPromptSet(setId: string): Promise<void>;
  applyDelta(d: ChatDelta): void;
  setError(e: unknown): void;
  /** checkpoint-<step> folders a run can be chatted with, by run id (read again when its status changes). */
  checkpoints: Record<string, string[]>;
  loadCheckpoints(runId: string): Promise<void>;
  /** Serves a chat server to other programs (an OpenAI-compatible endpoint) or stops doing so; a refusal lands in `error`. */
  deploy(serverId: string, deployed: boolean): Promise<void>;
  stopServer(serverId: string): Promise<void>;
}


export const useChat = create<ChatState>((set, get) => {
  /** Adds messages a call returned, unless a delta already created them (events may beat the reply). */
  const merge = (convId: string, msgs: ChatMessage[]) =>
    set((s) => {
      const list = [...(s.messages[convId] ?? [])];
      for (const m of msgs) if (!list.some((x) => x.id === m.id)) list.push(m);
      return { messages: { ...s.messages, [convId]: list } };
    });
  const guard = async (fn: () => Promise<void>) => {
    try {
      set({ error: null });
      await fn();
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  };

  return {
    runs: [],
    servers: {},
    target: null,
    conversations: [],
    conversationId: null,
    messages: {},
    comparison: null,
    promptSets: [],
    promptRun: null,
    error: null,
    setError: (e) => set({ error: e === null ? null : errorMessage(e) }),
    checkpoints: {},
    async loadCheckpoints(runId) {
      const list = await api.call('chat.checkpoints', { runId }).catch(() => [] as string[]);
      set((s) => ({ checkpoints: { ...s.checkpoints, [runId]: list } }));
    },
    async deploy(serverId, deployed) {
      await api.call('chat.deploy', { serverId, deployed }).catch((e: unknown) => get().setError(e));
    },
    async stopServer(serverId) {
      await api.call('chat.stopServer', { serverId }).catch((e: unknown) => get().setError(e));
    },

    loadRuns: () =>
      guard(async () => {
        const [runs, servers] = await Promise.all([api.call('runs.list', {}), api.call('chat.servers', {})]);
        set({
          runs: runs.filter((r) => (r.kind === 'train' || (r.kind === 'export' && r.status === 'finished')) && !!r.outputDir).sort((a, b) => b.createdAt - a.createdAt),
          servers: Object.fromEntries(servers.map((s) => [s.id, s])),
        });
      }),

    openTarget: (t) =>
      guard(async () => {
        set({ target: t, conversationId: null, conversations: [] });
        const server = await api.call('chat.serve', { runId: t.runId, checkpoint: t.checkpoint });
        set((s) => ({ servers: { ...s.servers, [server.id]: server } }));
        const convs = (await api.call('chat.conversations', { runId: t.runId })).filter((c) => (c.checkpoint ?? null) === (t.checkpoint ?? null));
        set({ conversations: convs });
        if (convs[0]) await get().selectConversation(convs[0].id);
        else await get().newConversation();
      }),

    closeTarget: () =>
      guard(async () => {
        const t = get().target;
        set({ target: null, conversationId: null, conversations: [] });
        if (t) await api.call('chat.close', { runId: t.runId, checkpoint: t.checkpoint });
      }),

    restartServer: () =>
      guard(async () => {
        const t = get().target;
        if (!t) return;
        const server = await api.call('chat.serve', { runId: t.runId, checkpoint: t.checkpoint });
        set((s) => ({ servers: { ...s.servers, [server.id]: server } }));
      }),

    newConversation: () =>
      guard(async () => {
        const t = get().target;
        if (!t) return;
        const current = get().conversations.find((c) => c.id === get().conversationId);
        const c = await api.call('chat.createConversation', { runId: t.runId, checkpoint: t.checkpoint, system: current?.system, params: current?.params });
        set((s) => ({ conversations: [c, ...s.conversations], conversationId: c.id, messages: { ...s.messages, [c.id]: [] } }));
      }),

    selectConversation: (id) =>
      guard(async () => {
        set({ conversationId: id });
        const msgs = await api.call('chat.messages', { conversationId: id });
        set((s) => ({ messages: { ...s.messages, [id]: msgs } }));
      }),

    updateConversation: (patch) =>
      guard(async () => {
        const id = get().conversationId;
        if (!id) return;
        const c = await api.call('chat.updateConversation', { id, ...patch });
        set((s) => ({ conversations: s.conversations.map((x) => (x.id === c.id ? c : x)) }));
      }),

    send: (text) =>
      guard(async () => {
        const id = get().conversationId;
        if (!id) return;
        const { user, assistant } = await api.call('chat.send', { conversationId: id, content: text });
        // The user's message goes before an answer whose first delta may already be here.
        set((s) => ({ messages: { ...s.messages, [id]: [...(s.messages[id] ?? []).filter((m) => m.id !== user.id && m.id !== assistant.id), user, ...(s.messages[id] ?? []).filter((m) => m.id === assistant.id)] } }));
        merge(id, [assistant]);
        const title = get().conversations.find((c) => c.id === id)?.title;
        if (title === 'New chat') set({ conversations: await api.call('chat.conversations', { runId: get().target!.runId }) });
      }),

    stop: (messageId) => guard(async () => void (await api.call('chat.stop', { messageId }))),

    regenerate: () =>
      guard(async () => {
        const id = get().conversationId;
        if (!id) return;
        const list = get().messages[id] ?? [];
        if (list.at(-1)?.role === 'assistant') set((s) => ({ messages: { ...s.messages, [id]: list.slice(0, -1) } }));
        merge(id, [await api.call('chat.regenerate', { conversationId: id })]);
      }),

    compare: (targets, prompt, blind) =>
      guard(async () => {
        const c = await api.call('chat.compare', { targets, prompt, blind });
        set({ comparison: c });
        for (const e of c.entries) merge(e.conversationId, [streamingAnswer(e.conversationId, e.messageId)]);
        const servers = await api.call('chat.servers', {});
        set({ servers: Object.fromEntries(servers.map((s) => [s.id, s])) });
      }),

    vote: (v) =>
      guard(async () => {
        const c = get().comparison;
        if (c) set({ comparison: await api.call('chat.vote', { comparisonId: c.id, vote: v }) });
      }),

    loadPromptSets: () => guard(async () => set({ promptSets: await api.call('chat.promptSets', {}) })),
    importPromptSet: (name, jsonl) =>
      guard(async () => {
        const s = await api.call('chat.importPromptSet', { name, jsonl });
        set((st) => ({ promptSets: [s, ...st.promptSets.filter((x) => x.id !== s.id)] }));
      }),
    runPromptSet: (setId) =>
      guard(async () => {
        const t = get().target;
        if (!t) throw new Error('Open a run first.');
        set({ promptRun: await api.call('chat.runPromptSet', { setId, runId: t.runId, checkpoint: t.checkpoint }) });
      }),

    applyDelta: (d) =>
      set((s) => {
        const list = s.messages[d.conversationId];
        if (!list) return {};
        let found = false;
        const next = list.map((m) => {
          if (m.id !== d.messageId) return m;
          found = true;
          if ('text' in d) return { ...m, content: m.content + d.text };
          return { ...m, ...d.done };
        });
        if (!found) {
          const p = streamingAnswer(d.conversationId, d.messageId);
          next.push('text' in d ? { ...p, content: d.text } : { ...p, ...d.done });
        }
        return { messages: { ...s.messages, [d.conversationId]: next } };
      }),
  };
});

/** What the chat view shows when it opens: the runs to chat with and the prompt sets, fresh. */
export function refreshChat(): void {
  const s = useChat.getState();
  void s.loadRuns();
  void s.loadPromptSets();
}

/**
 * Live updates for the app's lifetime (started once, in main.tsx): deltas, server status, prompt runs, finished runs.
 * The only subscriber of these topics — a second one would apply every answer piece twice.
 */
export function startChatSync(): () => void {
  refreshChat();
  const offs = [
    followTopic('chat.delta', {}, (d) => useChat.getState().applyDelta(d)),
    followTopic('chat.server', {}, (srv) =>
      useChat.setState((st) => {
        // One server per target: a restart or a port retry replaces the record of the one before.
        const servers = Object.fromEntries(Object.entries(st.servers).filter(([, x]) => !sameTarget(x, srv)));
        if (srv.status === 'stopped') delete servers[srv.id];
        else servers[srv.id] = srv;
        return { servers };
      }),
    ),
    followTopic('chat.promptRun', {}, (r) => useChat.setState((st) => (st.promptRun?.id === r.id ? { promptRun: r } : {}))),
    followTopic('runs.changed', {}, (r) => {
      if ((r.kind === 'train' || r.kind === 'export') && !isActiveStatus(r.status)) void useChat.getState().loadRuns();
    }),
  ];
  return () => offs.forEach((f) => f());
}

/** The newest live server of a target (a failed restart leaves the old record until it is replaced). */
export function serverFor(servers: Record<string, ChatServer>, t: ChatTarget | null): ChatServer | null {
  if (!t) return null;
  return Object.values(servers)
    .filter((s) => sameTarget(s, t))
    .sort((a, b) => b.startedAt - a.startedAt)[0] ?? null;
}
