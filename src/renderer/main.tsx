/** Renderer entry: connects to the engine, starts the store syncs, mounts the app. */
// The token leaves the address bar before the hash router (stores/ui) reads it.
import './api/bootstrap.js';
// Base styles first, so each feature's stylesheet (imported by its view) overrides them at equal specificity.
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/client.js';
import { setErrorWording } from './i18n/errorMessage.js';
import { App } from './App.js';
import { sayError } from './i18n/index.js';
import { startBoardSync } from './stores/board.js';
import { startChatSync } from './stores/chat.js';
import { startCompareSync } from './stores/compare.js';
import { startGpusSync } from './stores/gpus.js';
import { startRemotesSync } from './stores/remotes.js';
import { startRunsSync } from './stores/runs.js';
import { startSettingsSync, useSettings } from './stores/settings.js';
import { startSlurmSync } from './stores/slurm.js';
import { startTasksSync } from './stores/tasks.js';
import { startToastSync } from './stores/toasts.js';
import { startRouteSync } from './stores/ui.js';

setErrorWording((e) => sayError(useSettings.getState().settings?.language ?? 'en', e));
void connect();
// Every store follows its topics for the app's lifetime (subscriptions are re-sent after a reconnect).
for (const start of [
  startRouteSync,
  startSettingsSync,
  startToastSync,
  startGpusSync,
  startTasksSync,
  startBoardSync,
  startSlurmSync,
  startRemotesSync,
  startRunsSync,
  startCompareSync,
  startChatSync,
]) {
  start();
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
