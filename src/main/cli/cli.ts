import { z } from 'zod';
import { isMethodName, methods, type MethodName } from '../../shared/contract';
import type { WireError } from '../../shared/errors';
import { createCore, type Core, type CoreOptions } from '../core/create-core';
import { defaultDataDir } from '../core/paths';
import { PRODUCT_NAME, VERSION } from '../core/version';
import { secretFieldsIn } from './secret-fields';

/** Where the CLI reads and writes; injected so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly isTty: boolean;
  /** Asks for a password on the terminal without echo; absent when stdin is not a TTY. */
  readonly promptPassword?: (prompt: string) => Promise<string>;
}

/** Exit codes: documented in --help and the README so scripts can rely on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface ParsedArgs {
  method?: string;
  json?: string;
  dataDir?: string;
  pretty?: boolean;
  help: boolean;
  version: boolean;
  passwordEnv?: string;
  passwordStdin?: boolean;
  keychain?: boolean;
}

/** Methods whose own input is the master password: filled from the password source when not given. */
const TAKES_PASSWORD: ReadonlySet<string> = new Set(['vault.create', 'vault.unlock']);

/**
 * `paneldeck <method> [json-input]`: calls one contract method through the same dispatcher as the UI and
 * prints its JSON result. Errors go to stderr as {"error": {code, message}} with a non-zero exit.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  coreOverrides: Partial<Omit<CoreOptions, 'dataDir' | 'logSink'>> = {},
): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  if (args.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!args.method) {
    io.stdout(helpText());
    return args.help ? EXIT.ok : EXIT.usage;
  }
  if (args.help) {
    const help = methodHelp(args.method);
    if (help === null)
      return printError(
        io,
        { code: 'UNKNOWN_METHOD', message: `Unknown method "${args.method}". Run paneldeck --help.` },
        EXIT.usage,
      );
    io.stdout(help);
    return EXIT.ok;
  }

  if (args.passwordStdin && args.json === '-') {
    return usageError(io, '--password-stdin and a JSON input on stdin cannot be combined.');
  }
  let input: unknown = {};
  const raw = args.json === '-' ? await io.readStdin() : args.json;
  if (raw !== undefined && raw.trim() !== '') {
    try {
      input = JSON.parse(raw);
    } catch {
      return printError(io, { code: 'VALIDATION', message: 'The input is not valid JSON.' }, EXIT.usage);
    }
  }
  if (args.json !== undefined && args.json !== '-') warnSecretsInArgv(io, args.method, input);

  const core: Core = createCore({
    ...coreOverrides,
    dataDir: args.dataDir ?? defaultDataDir(io.env),
    logSink: (line) => io.stderr(`${line}\n`),
  });
  try {
    const source = passwordSource(args, io);
    if (typeof source === 'string') return usageError(io, source);
    if (TAKES_PASSWORD.has(args.method) && isRecord(input) && input.password === undefined && source) {
      input = { ...input, password: await source() };
    }
    let result = await core.dispatcher.call(args.method, input, { transport: 'cli' });
    // Which methods need the vault is the core's own answer, not a list kept here: a call refused with
    // VAULT_LOCKED (checked before any side effect) is retried once after unlocking with the given source.
    if (!result.ok && result.error.code === 'VAULT_LOCKED' && core.vault.status().exists) {
      const unlocked = args.keychain
        ? await core.dispatcher.call('vault.unlockWithKeychain', {}, { transport: 'cli' })
        : source
          ? await core.dispatcher.call('vault.unlock', { password: await source() }, { transport: 'cli' })
          : null;
      if (unlocked === null) {
        return printError(
          io,
          {
            code: 'VAULT_LOCKED',
            message:
              'The vault is locked: give --password-env VAR, --password-stdin or --keychain, or run in a terminal.',
          },
          EXIT.failed,
        );
      }
      if (!unlocked.ok) return printError(io, unlocked.error, EXIT.failed);
      result = await core.dispatcher.call(args.method, input, { transport: 'cli' });
    }
    // A panel that asks for a 2FA code (GhostCP): prompt on the terminal, sign in with it, then run the call again.
    const panelId = isRecord(input) && typeof input.id === 'string' ? input.id : null;
    if (!result.ok && result.error.details?.['needsOtp'] === true && panelId !== null && io.promptPassword) {
      const otp = (await io.promptPassword('Two-factor code for the panel: ')).trim();
      const signedIn = await core.dispatcher.call('panels.test', { id: panelId, otp }, { transport: 'cli' });
      if (!signedIn.ok) return printError(io, signedIn.error, EXIT.failed);
      if (args.method !== 'panels.test') result = await core.dispatcher.call(args.method, input, { transport: 'cli' });
      else result = signedIn;
    }
    if (!result.ok) {
      const usage = result.error.code === 'UNKNOWN_METHOD' || result.error.code === 'VALIDATION';
      return printError(io, result.error, usage ? EXIT.usage : EXIT.failed);
    }
    const pretty = args.pretty ?? io.isTty;
    io.stdout(`${JSON.stringify(result.value, null, pretty ? 2 : undefined)}\n`);
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { help: false, version: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${a} needs a value.`);
      return next;
    };
    if (a === '-h' || a === '--help') out.help = true;
    else if (a === '-V' || a === '--version') out.version = true;
    else if (a === '--pretty') out.pretty = true;
    else if (a === '--compact') out.pretty = false;
    else if (a === '--data-dir' || a.startsWith('--data-dir=')) out.dataDir = value();
    else if (a === '--password-env' || a.startsWith('--password-env=')) out.passwordEnv = value();
    else if (a === '--password-stdin') out.passwordStdin = true;
    else if (a === '--keychain') out.keychain = true;
    else if (a.startsWith('-') && a !== '-') throw new Error(`Unknown option ${a}.`);
    else positional.push(a);
  }
  if (positional.length > 2) throw new Error('Too many arguments: give one method and at most one JSON input.');
  [out.method, out.json] = positional;
  return out;
}

/** The --help page, listing every CLI-visible method of the contract with its summary. */
export function helpText(): string {
  const names = cliMethods();
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${methods[n].summary}`);
  return [
    `${PRODUCT_NAME} ${VERSION}: call the core from scripts. Output is JSON.`,
    '',
    'Usage: paneldeck <method> [json-input | -] [options]',
    "       paneldeck <method> --help     show the method's input as JSON Schema",
    '',
    'Input: a JSON argument, or - to read it from stdin. Give secrets (passwords, keys, tokens) on stdin,',
    'never as an argument: arguments are visible to every local user (ps) and stay in shell history.',
    '  paneldeck credentials.create - --password-env PD_PW < credential.json',
    '',
    'Options:',
    "  --data-dir DIR   data directory (default: PANELDECK_DATA_DIR, else the app's own)",
    '  --password-env VAR  read the vault password from environment variable VAR',
    '  --password-stdin    read the vault password from the first line of stdin (not with - input)',
    '  --keychain       unlock with the key in the system keychain ("unlock with this computer")',
    '                   (without these, a terminal asks for the password; a method that finds the vault',
    '                   locked unlocks it first)',
    '  --pretty         indent the JSON (default when stdout is a terminal); --compact: one line',
    '  -V, --version    print the version',
    '',
    'Exit codes: 0 success; 1 the call failed (error JSON on stderr); 2 usage (unknown method, bad input).',
    '',
    'Methods:',
    ...lines,
    '',
  ].join('\n');
}

function methodHelp(name: string): string | null {
  if (!cliMethods().includes(name as MethodName)) return null;
  const def = methods[name as MethodName];
  const schema = z.toJSONSchema(def.input, { unrepresentable: 'any' });
  return `${name}: ${def.summary}\n\nInput (JSON Schema):\n${JSON.stringify(schema, null, 2)}\n`;
}

function cliMethods(): MethodName[] {
  return (Object.keys(methods) as MethodName[]).filter((n) => (methods[n] as { cli?: boolean }).cli !== false).sort();
}

/**
 * Where the vault password comes from: a function that reads it, null when there is no source, or a usage
 * message. The password never comes from argv (it would show in `ps` and shell history).
 */
function passwordSource(args: ParsedArgs, io: CliIo): (() => Promise<string>) | null | string {
  const given = [args.passwordEnv !== undefined, args.passwordStdin === true].filter(Boolean).length;
  if (given > 1) return 'Give only one of --password-env and --password-stdin.';
  if (args.passwordEnv !== undefined) {
    const value = io.env[args.passwordEnv];
    if (value === undefined || value === '') return `Environment variable ${args.passwordEnv} is not set.`;
    return () => Promise.resolve(value);
  }
  if (args.passwordStdin) return async () => (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  const prompt = io.promptPassword;
  if (prompt) return () => prompt('Vault password: ');
  return null;
}

/**
 * Warns on stderr when a field the contract marks as secret came in the JSON argument: every local user can read a
 * process's arguments (ps, /proc/<pid>/cmdline), and shells keep them in their history. The call still runs
 * (scripts keep working); the warning says how to pass the input on stdin instead.
 */
function warnSecretsInArgv(io: CliIo, method: string, input: unknown): void {
  if (!isMethodName(method)) return;
  const fields = secretFieldsIn(method, input);
  if (fields.length === 0) return;
  io.stderr(
    `warning: ${fields.map((f) => `"${f}"`).join(', ')} of ${method} came on the command line, where other local ` +
      `users can read it (ps, /proc/<pid>/cmdline) and your shell history keeps it. Pass the input on stdin ` +
      `instead: paneldeck ${method} - --password-env VAR < input.json\n`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function printError(io: CliIo, error: WireError, code: number): number {
  io.stderr(`${JSON.stringify({ error })}\n`);
  return code;
}

function usageError(io: CliIo, message: string): number {
  return printError(io, { code: 'VALIDATION', message: `${message} Run paneldeck --help.` }, EXIT.usage);
}
