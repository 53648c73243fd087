/**
 * The sections of the app, in sidebar order; the position is also the Ctrl+Shift+digit (⌘digit) shortcut.
 * `needsVault` sections show the create/unlock screen until the vault is open. `empty` is shown only by a section
 * whose feature does not exist yet (EmptyState): what it will do, as a phrase after "this section will".
 */
export const SECTIONS = [
  {
    id: 'servers',
    label: 'Servers',
    needsVault: true,
    empty: 'Your servers will live here: add them by hand or import ~/.ssh/config, then group and tag them.',
  },
  {
    id: 'terminal',
    label: 'Terminal',
    needsVault: true,
    empty: 'SSH terminals open here in tabs and split panes, with verified host keys and auto-reconnect.',
  },
  {
    id: 'metrics',
    label: 'Metrics',
    empty: 'chart CPU, memory, disk and network of every server, sampled over SSH without an agent, with history.',
  },
  {
    id: 'sites',
    label: 'Sites',
    needsVault: true,
    empty: 'list, create and delete the sites on your servers (nginx, CloudPanel and the supported panels).',
  },
  {
    id: 'databases',
    label: 'Databases',
    needsVault: true,
    empty: 'list and manage the MariaDB, MySQL and PostgreSQL databases and users across your servers.',
  },
  {
    id: 'certificates',
    label: 'Certificates',
    needsVault: true,
    empty:
      'keep one inventory of the TLS certificates on every server and panel, warn before they expire and renew them.',
  },
  {
    id: 'panels',
    label: 'Panels',
    needsVault: true,
    empty: 'add the hosting panels you run (CloudPanel, GhostCP, Website Factory) and manage what they hold.',
  },
  {
    id: 'vault',
    label: 'Vault',
    needsVault: true,
    empty: 'The encrypted vault: credentials, SSH keys and the audit trail of every secret used.',
  },
  { id: 'settings', label: 'Settings', empty: '' },
  { id: 'about', label: 'About', empty: '' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];
