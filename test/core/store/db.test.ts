/** The store: a real SQLite file in WAL mode, migrations applied once and in order, a newer schema refused. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/core/store/db.js';
import { migrations } from '../../../src/core/store/migrations/index.js';
import { applySettingsPatch } from '../../../src/core/services/settingsService.js';
import { createSettingsRepo } from '../../../src/core/store/settingsRepo.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'trainyard-db-')), 'trainyard.db');

describe('openDb', () => {
  it('creates the file in WAL mode with every migration applied', () => {
    const path = tmp();
    const db = openDb(path);
    db.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(Math.max(...migrations.map((m) => m.version)));
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['settings', 'tasks', 'runs', 'queue_items']));
    raw.close();
  });

  it('numbers migrations uniquely and reopens without re-running them', () => {
    const versions = migrations.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    const path = tmp();
    openDb(path).close();
    const db = openDb(path); // would throw "table settings already exists" if re-run
    db.close();
  });

  it('refuses a database written by a newer version with a clear message', () => {
    const path = tmp();
    openDb(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDb(path)).toThrow(/newer Trainyard/);
  });
});

describe('settings', () => {
  it('round-trips, merges patches, and rejects invalid values', () => {
    const db = openDb(tmp());
    const repo = createSettingsRepo(db);
    const s = repo.load();
    expect(s.language).toBe('en');
    const next = applySettingsPatch(s, { language: 'zh', chat: { idleMinutes: 5 } });
    expect(next.chat.inferBackend).toBe(s.chat.inferBackend);
    repo.save(next);
    expect(repo.load()).toEqual(next);
    expect(createSettingsRepo(db).load()).toEqual(next);
    expect(() => applySettingsPatch(s, { telemetryIntervalMs: 5 })).toThrow();
    db.close();
  });

  it('falls back to defaults when the stored document is corrupt', () => {
    const db = openDb(tmp());
    db.prepare("INSERT INTO settings (key, value) VALUES ('settings', '{not json')").run();
    expect(createSettingsRepo(db).load().language).toBe('en');
    db.close();
  });
});

describe('engine lock', () => {
  it('refuses a second engine on the same folder and takes over a dead one', async () => {
    const { acquireEngineLock } = await import('../../../src/core/store/engineLock.js');
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'trainyard-lock-'));
    const lock = join(dir, 'engine.lock');
    const release = acquireEngineLock(lock, 'serve');
    // Same pid is "us", so simulate another live owner with our parent's pid.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, what: 'electron' }));
    expect(() => acquireEngineLock(lock, 'serve')).toThrow(/Another Trainyard engine \(electron, pid/);
    // A crashed engine leaves a lock with a dead pid: taken over.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, what: 'serve' }));
    const again = acquireEngineLock(lock, 'serve');
    again();
    release();
  });
});
