import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installTerminalProbe } from './features/terminal';
import { client } from './lib/client';
import './styles.css';

// Exposed for the e2e suite and for admins poking at the core from DevTools; same power as the UI itself.
(window as unknown as { __paneldeck: typeof client }).__paneldeck = client;
installTerminalProbe();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
