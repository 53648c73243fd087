import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { HistoryDb } from '../../../src/main/storage/history/history-db';
import { harness } from '../operations/helpers';

const DOMAIN = 'zq-canary-domain.example';
const HOST = 'canary-host-4471.internal';
const COMMAND = 'nginx -t -c /etc/nginx/zq-canary.conf';
const PATH = '/srv/www/zq-canary-webroot';
const MARKERS = [DOMAIN, HOST, COMMAND, PATH, 'zq-canary', 'canary-host'];

/** Like `strings -n 4`: runs of printable ASCII, plus UTF-16LE runs (strings -el). */
function strings(buf: Buffer): string[] {
  const out: string[] = [];
  const text = buf.toString('latin1');
  for (const m of text.matchAll(/[ -~]{4,}/g)) out.push(m[0]);
  // UTF-16LE: every other byte of the buffer, at both alignments.
  for (const start of [0, 1]) {
    const narrow = Buffer.alloc(Math.ceil((buf.length - start) / 2));
    for (let i = start, k = 0; i < buf.length; i += 2, k++) narrow[k] = buf[i + 1] === 0 ? buf[i]! : 0x0a;
    for (const m of narrow.toString('latin1').matchAll(/[ -~]{4,}/g)) out.push(m[0]);
  }
  return out;
}

function scan(dir: string): { files: string[]; hits: string[]; all: string } {
  const base = HistoryDb.fileIn(dir);
  const files = [base, `${base}-wal`, `${base}-shm`].filter((f) => fs.existsSync(f));
  const hits: string[] = [];
  let all = '';
  for (const f of files) {
    const found = strings(fs.readFileSync(f)).join('\n');
    all += found;
    for (const m of MARKERS) if (found.includes(m)) hits.push(`${m} in ${f}`);
  }
  return { files, hits, all };
}

test('a strings scan of history.db, -wal and -shm finds no domain, host, path or command written through the journal', async () => {
  const h = await harness();
  const serverId = randomUUID();
  const op = h.mod.service.apply({
    title: `Create site ${DOMAIN}`,
    serverId,
    kind: 'site.create',
    commands: [COMMAND, `ssh ${HOST}`],
    diffs: [],
    params: { domain: DOMAIN, host: HOST, webroot: PATH },
    steps: [
      {
        id: `write-${DOMAIN}`,
        title: `Write vhost for ${DOMAIN}`,
        kind: 'write',
        run: (ctx) => {
          ctx.log(`connected to ${HOST}`);
          ctx.record(COMMAND, 0, `nginx: configuration file ${PATH}/x test is successful for ${DOMAIN}`);
          return Promise.resolve({ summary: `wrote ${PATH}`, data: { backup: `${PATH}.bak` } });
        },
        rollback: (ctx) => {
          ctx.log(`restored ${PATH} on ${HOST}`);
          return Promise.resolve();
        },
      },
      {
        id: 'verify',
        title: `Verify https://${DOMAIN}/`,
        kind: 'verify',
        run: () => Promise.reject(new Error(`GET https://${DOMAIN}/ via ${HOST} answered 502`)),
      },
    ],
  });
  expect((await h.mod.service.wait(op.id)).state).toBe('rolled_back');
  h.mod.history.certificates.put([
    {
      id: randomUUID(),
      serverId,
      notAfter: Date.now() + 86_400_000,
      state: 'valid',
      updatedAt: Date.now(),
      details: {
        domains: [DOMAIN, `www.${DOMAIN}`],
        file: `/etc/letsencrypt/live/${DOMAIN}/fullchain.pem`,
        host: HOST,
      },
    },
  ]);
  // The journal really holds the text (readable with the key)...
  expect(JSON.stringify(h.mod.service.get(op.id))).toContain(HOST);
  expect(JSON.stringify(h.mod.history.certificates.list())).toContain(DOMAIN);

  // ...while the files hold none of it: with the database open (WAL and shared memory present)...
  const live = scan(h.dir);
  expect(live.files.map((f) => f.slice(h.dir.length + 1))).toEqual(['history.db', 'history.db-wal', 'history.db-shm']);
  expect(live.all).toMatch(/rolled_back/); // the scan does see the clear columns (the control)
  expect(live.all).toContain(serverId);
  expect(live.hits).toEqual([]);

  // ...and after close (checkpointed into the main file).
  await h.close();
  const closed = scan(h.dir);
  expect(closed.all).toMatch(/rolled_back/);
  expect(closed.hits).toEqual([]);
});
