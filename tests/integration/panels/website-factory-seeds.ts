import { execution } from './website-factory-routes';
import { isoAgo, newId, siteRow, type WfStore } from './website-factory-state';

/** The stand-in's seeding hooks: ready sites, executions, alerts and credential rows (secrets included). */
export interface WfSeeders {
  seedSites(n: number, extra?: (i: number) => Partial<WfStore['sites'][number]>): void;
  seedExecutions(n: number): void;
  seedAlerts(n: number): void;
  seedCredentials(n: number): void;
}

/** Seeders writing into `store` with the hub's clock. */
export function seeders(store: WfStore, now: () => number): WfSeeders {
  return {
    seedSites(n, extra) {
      const base = store.sites.length;
      for (let i = 0; i < n; i++) {
        const k = base + i + 1;
        const domain = `site-${String(k).padStart(4, '0')}.example.com`;
        store.sites.push(
          siteRow(now() - (n - i) * 1000, domain, `Brand ${k}`, {
            status_dns: 'active',
            status_hosting: 'active',
            status_content: 'generated',
            status_deployment: 'deployed',
            hosting_doc_root: `/var/www/${domain}`,
            ...(extra?.(i) ?? {}),
          }),
        );
      }
    },
    seedExecutions(n) {
      const statuses = ['completed', 'failed', 'retrying', 'running'];
      const types = ['dns', 'hosting', 'content', 'deployment'];
      for (let i = 0; i < n; i++) {
        const site = store.sites[i % Math.max(1, store.sites.length)]?.id ?? newId();
        store.executions.push(
          execution(now(), site, types[i % 4] ?? 'dns', statuses[i % 4] ?? 'completed', i * 60_000),
        );
      }
    },
    seedAlerts(n) {
      const sev = ['low', 'medium', 'high', 'critical'];
      for (let i = 0; i < n; i++) {
        store.alerts.push({
          id: newId(),
          severity: sev[i % 4] ?? 'low',
          message: `Alert ${i + 1}: DNS automation failure rate above 10%`,
          acknowledged: false,
          resolved: false,
          created_at: isoAgo(now(), i * 1000),
        });
      }
    },
    seedCredentials(n) {
      const at = isoAgo(now(), 0);
      for (let i = 1; i <= n; i++) {
        store.servers.push({
          id: newId(),
          name: `Server ${i}`,
          ip_address: `192.0.2.${i % 250}`,
          type: 'vultr',
          cloudpanel_url: null,
          is_active: true,
          metadata: {},
          created_at: at,
          updated_at: at,
        });
        store.registrars.push({
          id: newId(),
          provider: `registrar-${i}`,
          api_user: `user${i}`,
          api_key: `seed-registrar-key-${i}`,
          api_secret: `seed-registrar-secret-${i}`,
          api_endpoint: 'https://api.example.com/xml.response',
          username: `user${i}`,
          client_ip: '192.0.2.1',
          is_active: true,
          metadata: {},
          created_at: at,
          updated_at: at,
        });
        store.infrastructure.push({
          id: newId(),
          service: `service-${i}`,
          url: 'https://analytics.example.com',
          username: 'admin',
          password: `seed-infra-password-${i}`,
          api_token: `seed-infra-token-${i}`,
          is_active: true,
          metadata: {},
          created_at: at,
          updated_at: at,
        });
        store.cloudflare.push({
          id: newId(),
          email: `user+cf${i}@example.com`,
          account_nickname: `CF_Batch_${i}`,
          api_token: `seed-cf-token-${i}`,
          cloudflare_account_id: `abc${i}def`,
          created_at: at,
          updated_at: at,
        });
      }
    },
  };
}
