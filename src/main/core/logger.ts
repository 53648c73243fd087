/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log record. Fields must be non-secret; the Redactor is the second line of defence. */
export interface LogRecord {
  readonly time: string;
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

export type LogSink = (line: string, record: LogRecord) => void;

/**
 * Replaces every registered secret with "[redacted]" in anything about to leave the core as text.
 * Services register a secret the moment they hold it (a password typed at unlock, a decrypted key);
 * log lines and error messages pass through `redact` before they are written or sent.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Remembers `secret` (ignored if shorter than 4 characters: too many false hits). */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  /** Forgets every secret (on vault lock). */
  clear(): void {
    this.#secrets.clear();
  }

  /** `text` with every known secret replaced. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    return out;
  }
}

/** Structured logger: JSON lines to a sink, every line passed through the Redactor. */
export class Logger {
  readonly #sink: LogSink;
  readonly #redactor: Redactor;
  readonly #min: number;
  readonly #now: () => Date;

  constructor(options: { sink: LogSink; redactor?: Redactor; level?: LogLevel; now?: () => Date }) {
    this.#sink = options.sink;
    this.#redactor = options.redactor ?? new Redactor();
    this.#min = LEVELS[options.level ?? 'info'];
    this.#now = options.now ?? (() => new Date());
  }

  get redactor(): Redactor {
    return this.#redactor;
  }

  debug(event: string, fields: Record<string, unknown> = {}): void {
    this.#write('debug', event, fields);
  }
  info(event: string, fields: Record<string, unknown> = {}): void {
    this.#write('info', event, fields);
  }
  warn(event: string, fields: Record<string, unknown> = {}): void {
    this.#write('warn', event, fields);
  }
  error(event: string, fields: Record<string, unknown> = {}): void {
    this.#write('error', event, fields);
  }

  #write(level: LogLevel, event: string, fields: Record<string, unknown>): void {
    if (LEVELS[level] < this.#min) return;
    const record: LogRecord = { time: this.#now().toISOString(), level, event, fields };
    const line = this.#redactor.redact(JSON.stringify(record));
    this.#sink(line, record);
  }
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A sink that keeps lines in memory (tests read them back to prove no secret was logged). */
export function memorySink(): { sink: LogSink; lines: string[] } {
  const lines: string[] = [];
  return { sink: (line) => lines.push(line), lines };
}

/** A sink that writes to stderr (CLI and WebSocket host). */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};
