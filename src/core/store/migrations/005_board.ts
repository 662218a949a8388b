/** Schema 5: what the board learns from an early out-of-memory (retry count, a memory floor for the next try). */
import type { Migration } from './migration.js';

export const m005: Migration = {
  version: 5,
  name: 'board',
  up: `
    ALTER TABLE queue_items ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE queue_items ADD COLUMN need_mib INTEGER;
  `,
};
