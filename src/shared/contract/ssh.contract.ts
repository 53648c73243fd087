import { z } from 'zod';
import { Id, Port } from '../validators';
import { event, method, Ok } from './define';

/** SSH prompts between core and UI: host keys to trust or replace, keyboard-interactive questions. */

const PromptId = z.uuid();

export const HostKeyInfo = z.object({
  keyType: z.string(),
  /** `SHA256:...` exactly as `ssh-keygen -l` prints it. */
  fingerprint: z.string(),
  publicKey: z.string(),
});

/** The `details` of a HOST_KEY_CHANGED error: what the warning shows and what ssh.hostKey.replace needs. */
export const HostKeyChangedDetails = z.object({
  host: z.string(),
  port: z.number().int(),
  keyType: z.string(),
  /** The trusted fingerprints the server no longer matches. */
  oldFingerprints: z.array(z.string()),
  /** What it presented now (the only key ssh.hostKey.replace will accept). */
  newFingerprint: z.string(),
});
export type HostKeyChangedDetails = z.infer<typeof HostKeyChangedDetails>;

/** Calls: answer prompts, accept a changed host key. */
export const sshMethods = {
  'ssh.hostKey.answer': method({
    input: z.strictObject({ promptId: PromptId, trust: z.boolean() }),
    output: Ok,
    summary: 'Answer a host key question: trust (and remember) the key, or refuse the connection.',
    cli: false,
  }),
  'ssh.hostKey.replace': method({
    input: z.strictObject({
      host: z.string().min(1).max(253),
      port: Port,
      fingerprint: z.string().startsWith('SHA256:'),
    }),
    output: HostKeyInfo,
    summary: 'Accept a changed host key that was refused (HOST_KEY_CHANGED), identified by the fingerprint shown.',
    /** Only the process that saw the refused key can accept it: a CLI run starts with none. */
    cli: false,
  }),
  'ssh.keyboard.answer': method({
    input: z.strictObject({
      promptId: PromptId,
      answers: z.array(z.string().max(4096)).max(16).nullable(),
      /** For a prompt with `offerRemember`: store the password in the vault (bound to the server) once it worked. */
      remember: z.boolean().optional(),
    }),
    output: Ok,
    summary: 'Answer keyboard-interactive prompts (password, one-time code); null cancels the sign-in.',
    cli: false,
  }),
};

export const sshEvents = {
  'ssh.hostKey.prompt': event({
    payload: z.object({
      promptId: PromptId,
      serverId: Id,
      host: z.string(),
      port: z.number().int(),
      keyType: z.string(),
      fingerprint: z.string(),
      expiresAt: z.number().int(),
    }),
    summary: 'First connection to a host: show the fingerprint and ask whether to trust it.',
  }),
  'ssh.keyboard.prompt': event({
    payload: z.object({
      promptId: PromptId,
      serverId: Id,
      user: z.string(),
      host: z.string(),
      port: z.number().int(),
      name: z.string(),
      instructions: z.string(),
      prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
      expiresAt: z.number().int(),
      /**
       * True when this asks for the password of a server that has none stored ("None (ask when connecting)"): the
       * UI offers "remember in the vault" and answers with `remember`.
       */
      offerRemember: z.boolean().optional(),
    }),
    summary: 'The server asks questions (password, one-time code) during sign-in, or PanelDeck asks for a password.',
  }),
  'ssh.prompt.closed': event({
    payload: z.object({ promptId: PromptId, reason: z.enum(['answered', 'timeout', 'abandoned']) }),
    summary: 'A prompt is no longer wanted: take it down.',
  }),
};
