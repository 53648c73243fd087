/**
 * The sections of the app, in sidebar order; the key is also the Ctrl/Cmd+digit shortcut.
 * `needsVault` sections show the create/unlock screen until the vault is open.
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
    empty: 'CPU, memory, disk and network of every server, sampled agentlessly over SSH, with months of history.',
  },
  {
    id: 'sites',
    label: 'Sites',
    empty: 'Sites on nginx, CloudPanel and the supported panels: create, list and delete them from one place.',
  },
  {
    id: 'databases',
    label: 'Databases',
    empty: 'MariaDB, MySQL and PostgreSQL databases and users across your fleet.',
  },
  {
    id: 'certificates',
    label: 'Certificates',
    empty: 'One inventory of every TLS certificate on every server and panel, with expiry warnings and ACME renewals.',
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
