import fs from 'node:fs/promises';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** A file to send: its bytes and content type. */
export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * Resolves a URL path to a file strictly inside `root` (no `..`, no absolute escapes, no dotfiles);
 * unknown paths fall back to index.html so client-side routes load. Returns null when nothing fits.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (rel.split('/').some((seg) => seg.startsWith('.'))) return null;
  const abs = path.resolve(root, rel === '' ? 'index.html' : rel);
  if (abs !== root && !abs.startsWith(root + path.sep)) return null;
  const file = (await tryRead(abs)) ?? (path.extname(rel) === '' ? await tryRead(path.join(root, 'index.html')) : null);
  if (!file) return null;
  return { body: file.body, type: MIME[path.extname(file.path)] ?? 'application/octet-stream' };
}

async function tryRead(p: string): Promise<{ body: Buffer; path: string } | null> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return null;
    return { body: await fs.readFile(p), path: p };
  } catch {
    return null;
  }
}
