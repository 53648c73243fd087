import type { ServiceContext } from '../core/service-context';
import { Agent } from 'node:https';
import type * as AcmeClient from 'acme-client';
import { AppError } from '../../shared/errors';
import type { Http01Challenge } from '../drivers/capabilities';
import type { VaultService } from '../vault/vault.service';

/** CA certificates to trust for an ACME directory's own HTTPS (pebble in tests), by origin. Never "verify off". */
const trustedAgents = new Map<string, Agent>();

type AcmeModule = typeof AcmeClient;
let acmeModule: Promise<AcmeModule> | undefined;

/**
 * acme-client (and its axios) loads on the first ACME call, not with the core: most starts never issue a
 * certificate, and the CLI and crash-test children start much faster without it.
 */
function loadAcme(): Promise<AcmeModule> {
  acmeModule ??= import('acme-client').then((acme) => {
    acme.axios.interceptors.request.use((config) => {
      if (config.url) {
        const agent = trustedAgents.get(new URL(config.url).origin);
        if (agent) config.httpsAgent = agent;
      }
      return config;
    });
    return acme;
  });
  return acmeModule;
}

/**
 * Trusts `caPem` (in addition to nothing else) for HTTPS requests to `directoryUrl`'s origin. acme-client has one
 * shared axios instance: a request interceptor picks the agent by origin, so other directories keep the system
 * roots and full verification.
 */
export function trustDirectoryCa(directoryUrl: string, caPem: string): void {
  trustedAgents.set(new URL(directoryUrl).origin, new Agent({ ca: caPem, keepAlive: false }));
}

/** What an issuance needs. */
export interface AcmeOrder {
  readonly directoryUrl: string;
  readonly email: string;
  readonly eab?: { readonly kid: string; readonly hmacKey: string } | undefined;
  readonly altNames: readonly string[];
  readonly challenge: Http01Challenge;
  readonly log: (line: string) => void;
}

/**
 * Agentless ACME with acme-client: the account key comes from the vault (one per directory URL + email, made on
 * first use, sealed like every record), a fresh ECDSA P-256 key and CSR per certificate, HTTP-01 only — the
 * challenge is written and checked through the server's nginx by the driver before the CA is told to validate.
 */
export class AcmeIssuer {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;

  constructor(deps: { vault: VaultService; ctx: ServiceContext }) {
    this.#ctx = deps.ctx;
    this.#vault = deps.vault;
  }

  /** The account key for a directory + email, made (and sealed in the vault) when missing. */
  async accountKey(directoryUrl: string, email: string): Promise<string> {
    const records = this.#vault.records();
    for (const a of records.all('acme-account').values()) {
      if (a.directoryUrl === directoryUrl && a.email === email) return a.accountKey;
    }
    const acme = await loadAcme();
    const key = (await acme.crypto.createPrivateEcdsaKey()).toString();
    const id = this.#ctx.newId();
    records.write({
      put: [
        {
          kind: 'acme-account',
          id,
          data: { id, directoryUrl, email, accountKey: key, createdAt: this.#ctx.clock.now() },
        },
      ],
    });
    return key;
  }

  /** Orders, validates (HTTP-01) and finalizes a certificate; returns the full chain and its new key (PEM). */
  async issue(order: AcmeOrder): Promise<{ fullchain: string; key: string }> {
    const accountKey = await this.accountKey(order.directoryUrl, order.email);
    const acme = await loadAcme();
    const client = new acme.Client({
      directoryUrl: order.directoryUrl,
      accountKey,
      ...(order.eab ? { externalAccountBinding: { kid: order.eab.kid, hmacKey: order.eab.hmacKey } } : {}),
    });
    const [key, csr] = await acme.crypto.createCsr(
      { altNames: [...order.altNames] },
      await acme.crypto.createPrivateEcdsaKey(),
    );
    try {
      const fullchain = await client.auto({
        csr,
        email: order.email,
        termsOfServiceAgreed: true,
        challengePriority: ['http-01'],
        // The driver's challengeCreateFn already fetched the token through the server's own nginx; acme-client's
        // own check would resolve the domain from here, which says nothing about that server.
        skipChallengeVerification: true,
        challengeCreateFn: async (authz, challenge, keyAuthorization) => {
          if (challenge.type !== 'http-01') throw new AppError('UNSUPPORTED', 'Only HTTP-01 is supported.');
          order.log(`challenge for ${authz.identifier.value}`);
          await order.challenge.create(authz.identifier.value, challenge.token, keyAuthorization);
        },
        challengeRemoveFn: async (_authz, challenge) => {
          await order.challenge.remove(challenge.token);
        },
      });
      return { fullchain: fullchain.toString(), key: key.toString() };
    } catch (e) {
      if (e instanceof AppError) throw e;
      const msg = (e as Error).message.replace(/\s+/g, ' ').slice(0, 300);
      throw new AppError('CONNECTION_FAILED', `The ACME order failed: ${msg}`);
    }
  }
}
