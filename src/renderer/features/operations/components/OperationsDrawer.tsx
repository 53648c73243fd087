import { useStore } from '../../../store';
import { isActive } from '../slice';
import { OperationItem } from './OperationItem';
import '../operations.css';

/**
 * The operations drawer: every remote change with its progress, steps and per-step logs, live from the
 * operations events. Not modal: the app stays usable beside it. Opens by itself when an operation starts.
 */
export function OperationsDrawer(): React.JSX.Element | null {
  const open = useStore((s) => s.opsDrawerOpen);
  const operations = useStore((s) => s.operations);
  const loaded = useStore((s) => s.operationsLoaded);
  const setOpen = useStore((s) => s.setOpsDrawerOpen);
  if (!open) return null;
  const active = operations.filter(isActive).length;
  return (
    <aside
      id="ops-drawer"
      className="ops-drawer"
      aria-labelledby="ops-drawer-title"
      data-testid="operations-drawer"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <header className="ops-drawer-header">
        <h2 id="ops-drawer-title">Operations</h2>
        <span className="muted" aria-live="polite">
          {active > 0 ? `${active} in progress` : null}
        </span>
        <button type="button" className="icon-button" aria-label="Close operations" onClick={() => setOpen(false)}>
          ×
        </button>
      </header>
      {operations.length === 0 ? (
        <p className="muted ops-empty">
          {loaded
            ? 'No operations yet. Every change PanelDeck makes on a server (creating a site, enabling or deleting one) appears here with its progress, steps and logs.'
            : 'Loading…'}
        </p>
      ) : (
        <ol className="ops-list" aria-label="Operations, newest first">
          {operations.map((op) => (
            <OperationItem key={op.id} op={op} />
          ))}
        </ol>
      )}
    </aside>
  );
}

/** The toggle for the drawer (in the sidebar footer), with the number of operations in progress. */
export function OperationsButton(): React.JSX.Element | null {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  const open = useStore((s) => s.opsDrawerOpen);
  const active = useStore((s) => s.operations.filter(isActive).length);
  const setOpen = useStore((s) => s.setOpsDrawerOpen);
  if (!unlocked) return null;
  return (
    <button
      type="button"
      className="nav-item ops-toggle"
      aria-expanded={open}
      aria-controls={open ? 'ops-drawer' : undefined}
      data-testid="operations-toggle"
      onClick={() => setOpen(!open)}
    >
      <span className="nav-icon" aria-hidden="true">
        ≡
      </span>
      <span>Operations</span>
      {active > 0 ? (
        <span className="ops-count" aria-label={`${active} in progress`}>
          {active}
        </span>
      ) : null}
    </button>
  );
}
