/** Schema 6: chat — conversations and messages per run, side-by-side comparisons with votes, prompt sets and their runs, servers. */
import type { Migration } from './migration.js';

export const m006: Migration = {
  version: 6,
  name: 'chat',
  up: `
    CREATE TABLE chat_conversations (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      checkpoint TEXT,
      title TEXT NOT NULL,
      system TEXT NOT NULL DEFAULT '',
      params TEXT NOT NULL,
      comparison_id TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX chat_conversations_run ON chat_conversations(run_id, updated_at);

    CREATE TABLE chat_messages (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      role TEXT NOT NULL,
      content TEXT NOT NULL,
      status TEXT NOT NULL,
      error TEXT,
      restartable INTEGER NOT NULL DEFAULT 0,
      finish_reason TEXT,
      stats TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX chat_messages_conv ON chat_messages(conversation_id, seq);

    CREATE TABLE chat_comparisons (
      id TEXT PRIMARY KEY,
      prompt TEXT NOT NULL,
      blind INTEGER NOT NULL,
      entries TEXT NOT NULL,
      vote TEXT,
      created_at INTEGER NOT NULL
    );

    -- One row per run per vote, so per-run win/loss counts are one GROUP BY.
    CREATE TABLE chat_votes (
      comparison_id TEXT NOT NULL REFERENCES chat_comparisons(id) ON DELETE CASCADE,
      run_id TEXT NOT NULL,
      checkpoint TEXT,
      outcome TEXT NOT NULL CHECK (outcome IN ('win', 'loss', 'tie')),
      PRIMARY KEY (comparison_id, run_id, checkpoint)
    );
    CREATE INDEX chat_votes_run ON chat_votes(run_id);

    CREATE TABLE chat_prompt_sets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prompts TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE chat_prompt_runs (
      id TEXT PRIMARY KEY,
      set_id TEXT NOT NULL,
      run_id TEXT NOT NULL,
      checkpoint TEXT,
      items TEXT NOT NULL,
      status TEXT NOT NULL,
      error TEXT,
      created_at INTEGER NOT NULL
    );

    -- What an api run serves and how to reach it, so servers left running survive an engine restart.
    CREATE TABLE chat_servers (
      api_run_id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      checkpoint TEXT,
      port INTEGER NOT NULL,
      api_key TEXT NOT NULL,
      deployed INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    );
  `,
};
