export { SshPrompts } from './components/SshPrompts';
export { TerminalSection } from './components/TerminalSection';
export { TerminalSettingsForm } from './components/TerminalSettingsForm';
export { useTerminalEvents, useTerminalOptionsSync } from './hooks';
export { connectPanelServer, connectServer } from './sessions';
export { installTerminalProbe } from './test-hook';
