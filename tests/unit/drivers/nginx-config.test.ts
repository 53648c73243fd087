import { describe, expect, it } from 'vitest';
import { parseNginx, serverBlocks } from '../../../src/main/drivers/linux-ssh/nginx-parse';
import { sitesFromFiles } from '../../../src/main/drivers/linux-ssh/nginx-sites';
import { managedMeta, renderVhost } from '../../../src/main/drivers/linux-ssh/nginx-templates';
import { unifiedDiff } from '../../../src/main/drivers/unified-diff';

const SERVER = '11111111-1111-4111-8111-111111111111';

const HAND_MADE = `
# made by hand
server {
    listen 80;
    server_name blog.example.org www.blog.example.org;
    return 301 https://$host$request_uri;
}
server {
    listen 443 ssl http2;
    server_name blog.example.org www.blog.example.org;
    ssl_certificate /etc/letsencrypt/live/blog.example.org/fullchain.pem;
    ssl_certificate_key "/etc/letsencrypt/live/blog.example.org/privkey.pem";
    root /srv/blog;
    location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.1-fpm.sock; }
    location = "/a;b{c}" { return 200 'x;y'; }
}
`;

describe('nginx config reader', () => {
  it('parses quotes, comments and nested blocks; finds server blocks with TLS and PHP', () => {
    const blocks = serverBlocks(parseNginx(HAND_MADE));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.redirectOnly).toBe(true);
    expect(blocks[1]).toMatchObject({
      serverNames: ['blog.example.org', 'www.blog.example.org'],
      root: '/srv/blog',
      sslCertificate: '/etc/letsencrypt/live/blog.example.org/fullchain.pem',
      sslCertificateKey: '/etc/letsencrypt/live/blog.example.org/privkey.pem',
      fastcgi: 'unix:/run/php/php8.1-fpm.sock',
      listens: [{ port: 443, ssl: true }],
    });
  });

  it('names the line of an unbalanced brace', () => {
    expect(() => parseNginx('server {\n listen 80;\n')).toThrow(/never closed/);
    expect(() => parseNginx('listen 80;\n}\n')).toThrow(/line 2/);
  });

  it('lists sites from sites-available/enabled and conf.d: enabled by link, hand-made ones too', () => {
    const files = [
      { path: '/etc/nginx/sites-available/blog.conf', linkTarget: '', text: HAND_MADE },
      {
        path: '/etc/nginx/sites-available/shop.example.com.conf',
        linkTarget: '',
        text: renderVhost({
          domain: 'shop.example.com',
          aliases: [],
          kind: 'php',
          root: '/var/www/shop/public',
          phpSocket: '/run/php/paneldeck-shop.sock',
          user: 'shop',
        }),
      },
      {
        path: '/etc/nginx/sites-enabled/blog.conf',
        linkTarget: '/etc/nginx/sites-available/blog.conf',
        text: HAND_MADE,
      },
      {
        path: '/etc/nginx/sites-available/default',
        linkTarget: '',
        text: 'server { listen 80 default_server; server_name _; root /var/www/html; }',
      },
      {
        path: '/etc/nginx/conf.d/api.conf',
        linkTarget: '',
        text: 'server { server_name api.example.net; location / { proxy_pass http://127.0.0.1:9000; } }',
      },
    ];
    const sites = sitesFromFiles(SERVER, files).map((l) => l.site);
    expect(sites.map((s) => [s.domain, s.kind, s.enabled, s.managed, s.tls])).toEqual([
      ['api.example.net', 'proxy', true, false, false],
      ['blog.example.org', 'php', true, false, true],
      ['shop.example.com', 'php', false, true, false],
    ]);
    expect(sites[1]?.phpVersion).toBe('8.1');
    expect(sites[2]?.systemUser).toBe('shop');
  });

  it('templates: the managed marker round-trips; a TLS site with redirect has both blocks', () => {
    const text = renderVhost({
      domain: 'a.example.com',
      aliases: ['www.a.example.com'],
      kind: 'proxy',
      root: '/var/www/a',
      upstream: 'http://127.0.0.1:3000',
      tls: { certificate: '/etc/ssl/a.pem', key: '/etc/ssl/a.key', redirectHttp: true },
    });
    expect(managedMeta(text)).toEqual({ kind: 'proxy', user: null });
    const blocks = serverBlocks(parseNginx(text));
    expect(blocks.map((b) => b.listens[0])).toEqual([
      { port: 80, ssl: false },
      { port: 443, ssl: true },
    ]);
    expect(blocks[1]?.upstream).toBe('http://127.0.0.1:3000');
  });
});

describe('unified diff', () => {
  it('shows added, removed and context lines with hunk headers', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8', '9', '10'].join('\n');
    expect(unifiedDiff('/f', a, b)).toBe(
      [
        '--- a/f',
        '+++ b/f',
        '@@ -2,8 +2,9 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        ' 9',
        '+10',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff('/f', null, 'x\n')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,1 @@\n+x\n');
    expect(unifiedDiff('/f', 'same\n', 'same\n')).toBe('');
  });
});
