import { runCli } from './cli';
import { promptPassword } from './prompt-password';

/** Process entry for the `paneldeck` bin: wires the real stdio into runCli. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin,
  env: process.env,
  isTty: process.stdout.isTTY === true,
  ...(process.stdin.isTTY ? { promptPassword: (p: string) => promptPassword(p) } : {}),
});
