import { AppError } from '../../../shared/errors';
import type { Http01Challenge } from '../capabilities';
import type { RemoteHost } from '../remote-host';
import { ACME_WEBROOT } from './nginx-templates';

/** The folder nginx serves `/.well-known/acme-challenge/` from, for every site PanelDeck writes. */
export const ACME_CHALLENGE_DIR = `${ACME_WEBROOT}/.well-known/acme-challenge`;

/** ACME tokens are base64url (RFC 8555 §8.3); anything else is refused before it becomes a file name. */
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

/**
 * HTTP-01 on a linux-ssh server, agentless: the key authorization is written (over stdin, atomically) into the
 * dedicated challenge folder, then fetched back through the server's own nginx with the domain's Host header —
 * so a wrong vhost or a missing location fails here, before the CA is asked (and before it counts a failure).
 */
export function http01Challenge(host: RemoteHost, log: (line: string) => void): Http01Challenge {
  return {
    async create(domain, token, keyAuthorization) {
      if (!TOKEN.test(token)) throw new AppError('VALIDATION', 'The CA sent a challenge token that is not base64url.');
      const path = `${ACME_CHALLENGE_DIR}/${token}`;
      await host.writeFile(path, keyAuthorization, 0o644);
      const r = await host.http({ host: domain, path: `/.well-known/acme-challenge/${token}` });
      if (r.status !== 200 || r.body.trim() !== keyAuthorization) {
        await host.run(['rm', '-f', '--', path]);
        throw new AppError(
          'VALIDATION',
          `nginx does not serve the ACME challenge for ${domain} (HTTP ${r.status}); is the site enabled and its vhost PanelDeck's?`,
        );
      }
      log(`challenge for ${domain} answers through nginx`);
    },
    async remove(token) {
      if (!TOKEN.test(token)) return;
      await host.run(['rm', '-f', '--', `${ACME_CHALLENGE_DIR}/${token}`]);
    },
  };
}
