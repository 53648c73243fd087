import { useEffect, useState } from 'react';
import { AuditAction } from '../../../../shared/contract/vault.contract';
import { useStore } from '../../../store';
import type { AuditFilter } from '../slice';
import '../vault.css';
import { plural } from '../../../lib/plural';

const LABELS: Record<AuditAction, string> = {
  'vault.created': 'Vault created',
  'vault.unlocked': 'Unlocked',
  'vault.unlock-failed': 'Unlock failed',
  'vault.locked': 'Locked',
  'vault.password-changed': 'Password changed',
  'vault.keychain-enabled': 'Keychain on',
  'vault.keychain-disabled': 'Keychain off',
  'vault.exported': 'Exported',
  'vault.imported': 'Imported',
  'secret.revealed': 'Secret revealed',
  'secret.copied': 'Secret copied',
  'secret.used': 'Secret used',
  'secret.exported': 'Secret exported',
  'hostkey.trusted': 'Host key trusted',
  'hostkey.replaced': 'Host key replaced',
  'hostkey.removed': 'Host key forgotten',
  'hostkey.imported': 'known_hosts imported',
  'server.created': 'Server added',
  'server.updated': 'Server changed',
  'server.deleted': 'Server deleted',
  'credential.created': 'Credential added',
  'credential.updated': 'Credential changed',
  'credential.deleted': 'Credential deleted',
  'panel.added': 'Panel added',
  'panel.updated': 'Panel changed',
  'panel.removed': 'Panel removed',
  'panel.trusted': 'Panel certificate trusted',
  'alert-rule.changed': 'Alert rule changed',
};
const TONE: Partial<Record<AuditAction, string>> = {
  'vault.unlock-failed': 'danger',
  'secret.revealed': 'warn',
  'secret.copied': 'warn',
  'secret.exported': 'warn',
  'hostkey.replaced': 'danger',
  'server.deleted': 'warn',
  'credential.deleted': 'warn',
  'panel.removed': 'warn',
  'panel.trusted': 'warn',
  'vault.unlocked': 'ok',
};
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The audit trail, newest first, filtered by action and free text (by the core). */
export function AuditTab(): React.JSX.Element {
  const audit = useStore((s) => s.audit);
  const loadAudit = useStore((s) => s.loadAudit);
  const [filter, setFilter] = useState<AuditFilter>({ action: '', query: '' });
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const t = window.setTimeout(() => {
      loadAudit(filter)
        .then(() => setLoaded(true))
        .catch(() => undefined);
    }, 150);
    return () => window.clearTimeout(t);
  }, [filter, loadAudit]);

  return (
    <div>
      <div className="toolbar" role="search" aria-label="Filter the audit trail">
        <label className="visually-hidden" htmlFor="audit-action">
          Action
        </label>
        <select
          id="audit-action"
          className="select"
          value={filter.action}
          onChange={(e) => setFilter({ ...filter, action: e.target.value as AuditFilter['action'] })}
        >
          <option value="">All actions</option>
          {AuditAction.options.map((a) => (
            <option key={a} value={a}>
              {LABELS[a]}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor="audit-query">
          Search the audit trail
        </label>
        <input
          id="audit-query"
          className="input"
          type="search"
          placeholder="Search details…"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
        />
        <span className="muted" aria-live="polite">
          {loaded ? plural(audit.length, 'entry', 'entries') : 'Loading…'}
        </span>
      </div>
      {loaded && audit.length === 0 ? (
        <p className="muted">Nothing recorded{filter.action || filter.query ? ' matches these filters' : ' yet'}.</p>
      ) : (
        <table className="table audit-table" aria-label="Audit trail">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="when">{when.format(e.at)}</td>
                <td>
                  <span className={`badge ${TONE[e.action] ?? ''}`}>{LABELS[e.action]}</span>
                </td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
