import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { AppError } from '../../shared/errors';
import type { ConnectionManager, ExecOptions, ExecResult } from '../ssh/connection-manager';
import type { SshTarget } from '../ssh/ssh.types';

/** An HTTP answer read through the server (see {@link RemoteHost.http}). */
export interface HttpProbe {
  readonly status: number;
  readonly body: string;
  /** The certificate the server presented (TLS only), as DER. */
  readonly peerCertificate?: Buffer;
}

/** Every command a driver ran, for the journal: the exact argv (quoted when shown), exit code, capped output. */
export type CommandRecorder = (argv: readonly string[], result: ExecResult) => void;

/**
 * One server as the SSH drivers see it: commands by argv (quoted by the connection manager), files read and
 * written through stdin/stdout of fixed commands (never a user string in a shell), and HTTP(S) requests made
 * through a direct-tcpip channel to the server's own loopback — so verification needs nothing installed there.
 * When the login user is not root, privileged commands go through `sudo -n`.
 */
export class RemoteHost {
  readonly #manager: ConnectionManager;
  readonly #target: SshTarget;
  readonly #sudo: boolean;
  #recorder: CommandRecorder | undefined;

  constructor(manager: ConnectionManager, target: SshTarget, opts: { sudo?: boolean } = {}) {
    this.#manager = manager;
    this.#target = target;
    this.#sudo = opts.sudo ?? target.user !== 'root';
  }

  /** The server id this host runs commands on. */
  get serverId(): string {
    return this.#target.id;
  }

  /** A view of this host whose commands are also reported to `recorder` (one per operation step). */
  recording(recorder: CommandRecorder): RemoteHost {
    const copy = new RemoteHost(this.#manager, this.#target, { sudo: this.#sudo });
    copy.#recorder = recorder;
    return copy;
  }

  /** Runs argv as root (sudo -n when needed). Never throws on a non-zero exit: see {@link check}. */
  async run(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const full = this.#sudo ? ['sudo', '-n', '--', ...argv] : [...argv];
    const r = await this.#manager.exec(this.#target, full, opts);
    this.#recorder?.(argv, r);
    return r;
  }

  /** Runs argv and returns stdout; a non-zero exit raises CONNECTION_FAILED-free INTERNAL with `what` and stderr. */
  async check(argv: readonly string[], what: string, opts: ExecOptions = {}): Promise<string> {
    const r = await this.run(argv, opts);
    if (r.code !== 0) {
      throw new AppError('INTERNAL', `${what} failed (exit ${String(r.code)}): ${firstLines(r.stderr || r.stdout)}`, {
        exitCode: r.code,
      });
    }
    return r.stdout;
  }

  /** A file's content, or null when it does not exist. */
  async readFile(path: string): Promise<string | null> {
    const r = await this.run(['sh', '-c', 'if [ -e "$1" ]; then cat -- "$1"; else exit 3; fi', 'sh', path]);
    if (r.code === 3) return null;
    if (r.code !== 0) throw new AppError('INTERNAL', `Reading ${path} failed: ${firstLines(r.stderr)}`);
    return r.stdout;
  }

  /**
   * Writes a file atomically: content over stdin into a temp file beside it, mode set, then renamed into place.
   * A crash between the two leaves at most a stray `.pd-tmp-*` file, never a half-written config.
   */
  async writeFile(path: string, content: string, mode = 0o644): Promise<void> {
    await this.check(writeFileArgv(path, mode), `Writing ${path}`, { stdin: content });
  }

  /** True when the path exists. */
  async exists(path: string): Promise<boolean> {
    return (await this.run(['test', '-e', path])).code === 0;
  }

  /**
   * An HTTP(S) request to the server's own loopback with the given Host header (and SNI), through the SSH
   * connection: what the site answers on the server itself, whatever DNS says.
   */
  async http(opts: {
    host: string;
    path?: string;
    port?: number;
    tls?: boolean;
    timeoutMs?: number;
  }): Promise<HttpProbe> {
    const port = opts.port ?? (opts.tls ? 443 : 80);
    const lease = await this.#manager.acquire(this.#target);
    try {
      const channel = await this.#manager.forwardOut(lease, '127.0.0.1', 0, '127.0.0.1', port);
      const timeoutMs = opts.timeoutMs ?? 10_000;
      return await new Promise<HttpProbe>((resolve, reject) => {
        const timer = setTimeout(() => {
          channel.destroy();
          reject(new AppError('TIMEOUT', `The site ${opts.host} did not answer within ${timeoutMs} ms.`));
        }, timeoutMs);
        let peer: PeerCertificate | undefined;
        const stream = opts.tls
          ? tlsConnect({ socket: channel, servername: opts.host, rejectUnauthorized: false }, () => {
              peer = (stream as ReturnType<typeof tlsConnect>).getPeerCertificate(false);
            })
          : channel;
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('error', (e: Error) => {
          clearTimeout(timer);
          reject(new AppError('CONNECTION_FAILED', `The site ${opts.host} did not answer: ${e.message}`));
        });
        stream.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
          const body = text.includes('\r\n\r\n') ? text.slice(text.indexOf('\r\n\r\n') + 4) : '';
          resolve({ status: m ? Number(m[1]) : 0, body, ...(peer?.raw ? { peerCertificate: peer.raw } : {}) });
          channel.destroy();
        });
        stream.write(
          `GET ${opts.path ?? '/'} HTTP/1.1\r\nHost: ${opts.host}\r\nUser-Agent: PanelDeck\r\nConnection: close\r\n\r\n`,
        );
      });
    } finally {
      lease.release();
    }
  }
}

/**
 * The argv of an atomic file write: content on stdin into a temp file beside `path`, mode set, renamed into place.
 * Exported so plan previews show the very command that runs.
 */
export function writeFileArgv(
  path: string,
  mode: number,
  tmpSuffix = Math.random().toString(36).slice(2, 10),
): string[] {
  const tmp = `${path}.pd-tmp-${tmpSuffix}`;
  return [
    'sh',
    '-c',
    'umask 077 && cat > "$1" && chmod "$2" "$1" && mv -f -- "$1" "$3"',
    'sh',
    tmp,
    mode.toString(8),
    path,
  ];
}

/** The first few lines of a command's output, for an error message. */
export function firstLines(text: string, n = 4): string {
  return text.trim().split('\n').slice(0, n).join(' / ').slice(0, 500);
}
