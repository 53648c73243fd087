import type { GhostStore, Row } from './ghostcp-store';

/** Tables the seeder fills. */
export type SeedKind =
  'users' | 'domains' | 'zones' | 'records' | 'mail' | 'accounts' | 'databases' | 'certificates' | 'jobs' | 'backups';

/** Adds `count` ready rows to a table (for pagination tests): users, domains, zones … */
export function seedRows(store: GhostStore, kind: SeedKind, count: number, parent?: Row): Row[] {
  const out: Row[] = [];
  for (let i = 1; i <= count; i++) {
    const tag = String(i).padStart(4, '0');
    const before = store.effects.length;
    const first = store.users[0]?.['id'];
    const uid = typeof first === 'string' ? first : '';
    const r =
      kind === 'users'
        ? store.createUser(
            {
              username: `user${tag}`,
              email: `user${tag}@example.com`,
              password: `password-${tag}`,
              role: i % 5 === 0 ? 'reseller' : 'user',
            },
            false,
          )
        : kind === 'domains'
          ? store.createDomain({ domain: `site${tag}.example.com`, backend_template: 'PHP-8.3' }, uid)
          : kind === 'zones'
            ? store.createZone({ domain: `zone${tag}.example.com` }, uid)
            : kind === 'records'
              ? store.createRecord(parent ?? {}, {
                  name: `host${tag}`,
                  record_type: 'A',
                  value: `10.0.${Math.floor(i / 250)}.${i % 250}`,
                })
              : kind === 'mail'
                ? store.createMailDomain({ domain: `mail${tag}.example.com` }, uid)
                : kind === 'accounts'
                  ? store.createMailAccount(parent ?? {}, { username: `box${tag}`, password: `password-${tag}` })
                  : kind === 'databases'
                    ? store.createDatabase({ name: `db_${tag}` }, uid)
                    : kind === 'certificates'
                      ? store.createCertificate({ domain: `cert${tag}.example.com` }, uid)
                      : kind === 'jobs'
                        ? store.createJob({ job_type: i % 2 === 0 ? 'backup' : 'dns_sync' }, uid)
                        : store.createBackup(
                            {
                              name: `Backup ${tag}`,
                              backend_type: 'local',
                              backend_config: { bucket: `bucket-${tag}` },
                              repository_password: `repo-password-${tag}`,
                            },
                            uid,
                          );
    if (kind === 'jobs') {
      const j = r as Row;
      j['status'] = 'completed';
      j['output_log'] = 'done';
    }
    store.effects.length = before; // seeded rows are not effects of the client
    out.push(r as Row);
  }
  return out;
}
