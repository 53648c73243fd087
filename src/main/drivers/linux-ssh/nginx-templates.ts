/**
 * Every nginx configuration PanelDeck writes comes from here (issue 9: "templates live in one place"). Inputs are
 * already validated by the contract (domains LDH/punycode, paths from a safe alphabet, upstream URLs without
 * spaces or quotes), so plain interpolation cannot inject a directive; the tests push hostile names through anyway.
 */

/** The kinds of site PanelDeck creates. */
export type SiteKind = 'static' | 'php' | 'proxy';

/** What a vhost file says. */
export interface VhostSpec {
  readonly domain: string;
  readonly aliases: readonly string[];
  readonly kind: SiteKind;
  /** Webroot (static and PHP sites; proxy sites keep one for ACME challenges). */
  readonly root: string;
  /** PHP-FPM socket, for PHP sites. */
  readonly phpSocket?: string;
  /** Upstream URL, for proxy sites. */
  readonly upstream?: string;
  /** Certificate and key on the server: adds a TLS server block. */
  readonly tls?: { readonly certificate: string; readonly key: string; readonly redirectHttp: boolean };
  /** The site's system user (recorded for listing). */
  readonly user?: string;
  /**
   * Tests only (never reachable from the contract): adds a directive nginx rejects, to prove a failed
   * `nginx -t` is rolled back.
   */
  readonly fault?: 'invalid-directive';
}

/** First line of every file PanelDeck writes, so the lister can tell them apart. */
export const MANAGED_MARKER = '# Managed by PanelDeck';

/** Where HTTP-01 challenge files live for every site (a dedicated location, so proxy sites can answer too). */
export const ACME_WEBROOT = '/var/lib/paneldeck/acme';

function locations(spec: VhostSpec): string[] {
  const acme = [
    '    location ^~ /.well-known/acme-challenge/ {',
    `        root ${ACME_WEBROOT};`,
    '        default_type text/plain;',
    '        try_files $uri =404;',
    '    }',
  ];
  switch (spec.kind) {
    case 'static':
      return [...acme, '    location / {', '        try_files $uri $uri/ =404;', '    }'];
    case 'php':
      return [
        ...acme,
        '    index index.php index.html;',
        '    location / {',
        '        try_files $uri $uri/ /index.php?$args;',
        '    }',
        '    location ~ \\.php$ {',
        '        try_files $uri =404;',
        '        include /etc/nginx/fastcgi_params;',
        '        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;',
        `        fastcgi_pass unix:${spec.phpSocket ?? '/run/php/php-fpm.sock'};`,
        '    }',
      ];
    case 'proxy':
      return [
        ...acme,
        '    location / {',
        `        proxy_pass ${spec.upstream ?? 'http://127.0.0.1:8080'};`,
        '        proxy_http_version 1.1;',
        '        proxy_set_header Host $host;',
        '        proxy_set_header X-Real-IP $remote_addr;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_set_header Connection "upgrade";',
        '    }',
      ];
  }
}

function serverBlock(spec: VhostSpec, tls: boolean): string[] {
  const names = [spec.domain, ...spec.aliases].join(' ');
  const listen = tls ? ['    listen 443 ssl;', '    listen [::]:443 ssl;'] : ['    listen 80;', '    listen [::]:80;'];
  const cert =
    tls && spec.tls ? [`    ssl_certificate ${spec.tls.certificate};`, `    ssl_certificate_key ${spec.tls.key};`] : [];
  return [
    'server {',
    ...listen,
    `    server_name ${names};`,
    ...cert,
    `    root ${spec.root};`,
    '    index index.html index.htm;',
    ...(spec.fault === 'invalid-directive' ? ['    paneldeck_fault_injected on;'] : []),
    ...locations(spec),
    '}',
  ];
}

/** The whole vhost file for a site. */
export function renderVhost(spec: VhostSpec): string {
  const meta = [`${MANAGED_MARKER}: kind=${spec.kind}${spec.user ? ` user=${spec.user}` : ''}`];
  const blocks: string[][] = [];
  if (spec.tls?.redirectHttp) {
    blocks.push([
      'server {',
      '    listen 80;',
      '    listen [::]:80;',
      `    server_name ${[spec.domain, ...spec.aliases].join(' ')};`,
      '    location ^~ /.well-known/acme-challenge/ {',
      `        root ${ACME_WEBROOT};`,
      '        default_type text/plain;',
      '    }',
      '    location / {',
      '        return 301 https://$host$request_uri;',
      '    }',
      '}',
    ]);
  } else {
    blocks.push(serverBlock(spec, false));
  }
  if (spec.tls) blocks.push(serverBlock(spec, true));
  return `${[meta, ...blocks].map((b) => b.join('\n')).join('\n\n')}\n`;
}

/** Reads back the marker line: which kind and user PanelDeck wrote, or null for a hand-made file. */
export function managedMeta(text: string): { kind: SiteKind; user: string | null } | null {
  const m = new RegExp(`^${MANAGED_MARKER}: kind=(static|php|proxy)(?: user=([a-z_][a-z0-9_-]*))?`, 'm').exec(text);
  return m ? { kind: m[1] as SiteKind, user: m[2] ?? null } : null;
}

/** The default page a new static or PHP site gets, so the verify step has something to fetch. */
export function welcomePage(kind: SiteKind, domain: string): { name: string; body: string } {
  return kind === 'php'
    ? {
        name: 'index.php',
        body: `<?php echo "PanelDeck site ", htmlspecialchars(${JSON.stringify(domain)}), " PHP ", PHP_VERSION;\n`,
      }
    : { name: 'index.html', body: `<!doctype html><title>${domain}</title><p>PanelDeck site ${domain}</p>\n` };
}
