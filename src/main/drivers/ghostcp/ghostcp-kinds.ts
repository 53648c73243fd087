import type { PanelRowData } from '../capabilities';
import { idText, type GhostRow } from './ghostcp.client';
import type { Cell, KindSpec } from './ghostcp-kind-spec';
import { domains, mailAccounts, mailDomains, records, users, zones } from './ghostcp-kinds-hosting';
import { backups, certificates, databases, jobs, SECRET_KEYS } from './ghostcp-kinds-system';
import { invalid, panelId } from './ghostcp-values';

export type { BuiltCreate, KindSpec } from './ghostcp-kind-spec';

/** Every kind the GhostCP driver offers, in the order the Panels section shows them. */
export const GHOSTCP_KINDS: readonly KindSpec[] = [
  users,
  domains,
  zones,
  records,
  mailDomains,
  mailAccounts,
  databases,
  certificates,
  jobs,
  backups,
];

/** A kind by id: "dns-records" or "dns-records@<zoneId>" (a child kind with its parent). */
export function kindOf(id: string): { spec: KindSpec; parent: string | null } {
  const [name, parent] = id.split('@', 2) as [string, string | undefined];
  const spec = GHOSTCP_KINDS.find((k) => k.info.id === name);
  if (!spec) throw invalid('resource', `GhostCP has no resource "${name.slice(0, 60)}".`);
  if (parent !== undefined && !spec.parent) throw invalid('resource', `${spec.what} have no parent.`);
  return { spec, parent: parent !== undefined ? panelId(parent, spec.parent?.field ?? 'resource') : null };
}

/** A row in the contract's shape: its id and its cells by column key; secret-looking keys are never shown. */
export function rowOf(spec: KindSpec, r: GhostRow, parent: string | null): PanelRowData {
  const cells: Record<string, Cell> = {};
  for (const { key } of spec.info.columns) {
    if (SECRET_KEYS.test(key)) continue;
    const own = spec.cell?.(r, key);
    const v = own !== undefined ? own : r[key];
    cells[key] =
      v === undefined || v === null
        ? null
        : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? v
          : Array.isArray(v)
            ? v.filter((x) => typeof x === 'string' || typeof x === 'number').join(', ')
            : null;
  }
  const id = idText(r['id']);
  return { id: parent !== null ? `${parent}/${id}` : id, cells };
}
