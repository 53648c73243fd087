import type { CdpPage } from './cdp-page';
import { descendants, type ProcInfo } from './proc-memory';

export const MIB = 1024 * 1024;
/** Size of the terminal flood every terminal bench cats. */
export const FLOOD_MIB = 16;

/** 16 MiB of terminal-like text: numbered lines with words and a few SGR colours. */
export function floodText(): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < FLOOD_MIB * MIB; i++) {
    const l = `${String(i).padStart(7, '0')} \u001b[32mok\u001b[0m GET /api/v1/servers/${i % 977}/metrics 200 ${i % 1000}ms lorem ipsum dolor sit amet\n`;
    lines.push(l);
    size += Buffer.byteLength(l);
  }
  return Buffer.from(lines.join(''));
}

/** What the PTY delivers of `text`: the same bytes with onlcr's \r before every \n. */
export function asPtyOutput(text: Buffer): Buffer {
  return Buffer.from(text.toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
}

/** Chromium processes under `root` (a bench's own Chromium). */
export function chromiumPids(root: number): ProcInfo[] {
  return descendants(root).filter((p) => p.cmdline.includes('chromium'));
}

/**
 * The page's renderer process under `root`. Chromium's own UI runs in another renderer (`--top-chrome-webui`,
 * ~40-60 MiB, even headless) and it can keep a spare one warm (disabled in CHROMIUM_ARGS): neither exists in the
 * Electron app, so neither is the app's.
 */
export function rendererPids(root: number): number[] {
  return chromiumPids(root)
    .filter((p) => p.cmdline.includes('--type=renderer') && !p.cmdline.includes('--top-chrome-webui'))
    .map((p) => p.pid);
}

/** Chromium's processes of `page` other than its page renderer (browser, GPU/utility, Chromium's own UI). */
export function otherChromiumPids(page: CdpPage): number[] {
  const renderers = new Set(rendererPids(page.pid));
  return [page.pid, ...chromiumPids(page.pid).map((p) => p.pid)].filter((p) => !renderers.has(p));
}
