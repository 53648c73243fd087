import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installTerminalProbe } from './features/terminal';
import { client } from './lib/client';
import './styles.css';

// Test hooks (the contract client on window, the terminal probe) exist only in builds made for the e2e suite and
// the benches (PANELDECK_TEST_HOOKS=1 at build time); a production build drops this branch and both modules.
if (import.meta.env.PANELDECK_TEST_HOOKS) {
  (window as unknown as { __paneldeck: typeof client }).__paneldeck = client;
  installTerminalProbe();
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
