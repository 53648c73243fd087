/**
 * A small nginx configuration reader: enough to list the sites on a server, including the ones PanelDeck did not
 * write. It tokenises like nginx does (quotes, escapes, `#` comments, `{`/`}`/`;`) and returns the directive tree;
 * it never evaluates variables or includes (the caller reads each included file itself).
 */

/** One directive: `name args…;` or `name args… { children }`. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly children?: readonly Directive[];
  /** 1-based line of the directive's name. */
  readonly line: number;
}

interface Token {
  readonly text: string;
  readonly line: number;
  /** A bare `{`, `}` or `;` (quoted braces are words). */
  readonly punct: boolean;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      out.push({ text: c, line, punct: true });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let text = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        if (src[i] === '\n') line++;
        text += src[i];
        i++;
      }
      i++;
      out.push({ text, line: start, punct: false });
    } else {
      let text = '';
      while (i < src.length && !/[\s;{}#]/.test(src[i] as string)) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        text += src[i];
        i++;
      }
      out.push({ text, line, punct: false });
    }
  }
  return out;
}

/** Parses a configuration file's text into directives. Unbalanced braces raise an Error naming the line. */
export function parseNginx(src: string): Directive[] {
  const tokens = tokenize(src);
  let pos = 0;
  const block = (depth: number): Directive[] => {
    const list: Directive[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos] as Token;
      if (t.punct && t.text === '}') {
        if (depth === 0) throw new Error(`Unexpected "}" on line ${t.line}.`);
        pos++;
        return list;
      }
      if (t.punct) {
        pos++;
        continue;
      }
      const args: string[] = [];
      pos++;
      while (pos < tokens.length && !(tokens[pos] as Token).punct) args.push((tokens[pos++] as Token).text);
      const end = tokens[pos];
      if (end === undefined) throw new Error(`Missing ";" after "${t.text}" on line ${t.line}.`);
      pos++;
      if (end.text === '{') list.push({ name: t.text, args, children: block(depth + 1), line: t.line });
      else if (end.text === ';') list.push({ name: t.text, args, line: t.line });
      else throw new Error(`Unexpected "}" after "${t.text}" on line ${t.line}.`);
    }
    if (depth > 0) throw new Error('A "{" is never closed.');
    return list;
  };
  return block(0);
}

/** What a `server { }` block says about a site. */
export interface ServerBlock {
  readonly serverNames: readonly string[];
  readonly listens: readonly { port: number; ssl: boolean }[];
  readonly root: string | null;
  /** proxy_pass of the `location /` block (or of any location when `/` has none). */
  readonly upstream: string | null;
  /** fastcgi_pass target of a PHP location, e.g. `unix:/run/php/php8.2-fpm.sock`. */
  readonly fastcgi: string | null;
  readonly sslCertificate: string | null;
  readonly sslCertificateKey: string | null;
  /** True when the block only redirects (`return 301 https://…`). */
  readonly redirectOnly: boolean;
  readonly line: number;
}

function first(ds: readonly Directive[], name: string): Directive | undefined {
  return ds.find((d) => d.name === name);
}

function walk(ds: readonly Directive[], visit: (d: Directive) => void): void {
  for (const d of ds) {
    visit(d);
    if (d.children) walk(d.children, visit);
  }
}

function parseListen(args: readonly string[]): { port: number; ssl: boolean } {
  const addr = args[0] ?? '80';
  const m = /(?:^|:)(\d+)$/.exec(addr.replace(/^\[.*\]/, (s) => s.replace(/:/g, '')));
  return { port: m ? Number(m[1]) : 80, ssl: args.includes('ssl') || args.includes('quic') };
}

/** Every `server` block of a parsed file (also inside `http { }` when a whole nginx.conf is given). */
export function serverBlocks(ds: readonly Directive[]): ServerBlock[] {
  const out: ServerBlock[] = [];
  walk(ds, (d) => {
    if (d.name !== 'server' || !d.children) return;
    const kids = d.children;
    const locations = kids.filter((k) => k.name === 'location');
    const rootLoc = locations.find((l) => l.args.join(' ') === '/');
    let upstream = rootLoc?.children ? (first(rootLoc.children, 'proxy_pass')?.args[0] ?? null) : null;
    let fastcgi: string | null = null;
    walk(kids, (k) => {
      if (k.name === 'proxy_pass' && upstream === null) upstream = k.args[0] ?? null;
      if (k.name === 'fastcgi_pass' && fastcgi === null) fastcgi = k.args[0] ?? null;
    });
    const ret = first(kids, 'return');
    out.push({
      serverNames: kids.filter((k) => k.name === 'server_name').flatMap((k) => k.args),
      listens: kids.filter((k) => k.name === 'listen').map((k) => parseListen(k.args)),
      root: first(kids, 'root')?.args[0] ?? null,
      upstream,
      fastcgi,
      sslCertificate: first(kids, 'ssl_certificate')?.args[0] ?? null,
      sslCertificateKey: first(kids, 'ssl_certificate_key')?.args[0] ?? null,
      redirectOnly: ret !== undefined && locations.length === 0 && first(kids, 'root') === undefined,
      line: d.line,
    });
  });
  return out;
}

/** The PHP version a PHP-FPM socket path names (`/run/php/php8.2-fpm.sock` → `8.2`), or null. */
export function phpVersionOf(fastcgi: string | null): string | null {
  const m = fastcgi ? /php(\d+\.\d+)-fpm/.exec(fastcgi) : null;
  return m ? (m[1] as string) : null;
}
