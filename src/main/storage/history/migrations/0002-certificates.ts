import type { Migration } from '../../migration-runner';

/**
 * The fleet-wide certificate inventory. Clear: a random id, the server's random id, the expiry (epoch ms, so
 * the fleet table sorts and the renewal scheduler selects without the key), a state and when it was scanned.
 * Everything identifying (domains, SANs, issuer, file paths, fingerprints) is in `sealed`.
 */
export const m0002Certificates: Migration = {
  version: 2,
  name: 'certificates',
  up(db) {
    db.exec(`
      CREATE TABLE certificates (
        id         TEXT PRIMARY KEY,
        server_id  TEXT NOT NULL,
        not_after  INTEGER NOT NULL,
        state      TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        nonce      BLOB NOT NULL,
        sealed     BLOB NOT NULL
      ) STRICT;
      CREATE INDEX certificates_expiry ON certificates(not_after, id);
      CREATE INDEX certificates_server ON certificates(server_id, not_after);
    `);
  },
};
