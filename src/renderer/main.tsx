/** Renderer entry: connects to the engine, starts the store syncs, mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/client.js';
import { App } from './App.js';
import { startRouteSync } from './stores/ui.js';
import { startSettingsSync } from './stores/settings.js';
import { startToastSync } from './stores/toasts.js';
import './styles/base.css';

void connect();
startRouteSync();
startSettingsSync();
startToastSync();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
