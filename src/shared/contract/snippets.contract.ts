import { z } from 'zod';
import { Id } from '../validators';
import { method, Ok } from './define';
import { SessionId } from './terminal.contract';

/** Saved commands, run into one or more terminals. */

export const Snippet = z.object({
  id: Id,
  name: z.string(),
  /** Sent to the terminal as typed; a trailing newline runs it. */
  command: z.string(),
  tags: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Snippet = z.infer<typeof Snippet>;

const SnippetName = z.string().trim().min(1).max(120);
const SnippetCommand = z.string().min(1).max(20_000);
const SnippetTags = z.array(z.string().trim().min(1).max(40)).max(16);
const SnippetFields = z.strictObject({ name: SnippetName, command: SnippetCommand, tags: SnippetTags.default([]) });
/** Every field optional and without defaults: zod's .partial() would still fill tags with [] (see ServerPatch). */
const SnippetPatch = z.strictObject({
  name: SnippetName.optional(),
  command: SnippetCommand.optional(),
  tags: SnippetTags.optional(),
});

export const snippetsMethods = {
  'snippets.list': method({
    input: z.strictObject({ query: z.string().max(200).optional() }),
    output: z.array(Snippet),
    summary: 'Saved commands (kept in the vault).',
  }),
  'snippets.create': method({ input: SnippetFields, output: Snippet, summary: 'Save a command.' }),
  'snippets.update': method({
    input: z.strictObject({ id: Id, patch: SnippetPatch }),
    output: Snippet,
    summary: 'Change a saved command.',
  }),
  'snippets.delete': method({ input: z.strictObject({ id: Id }), output: Ok, summary: 'Delete a saved command.' }),
  'snippets.run': method({
    input: z.strictObject({ id: Id, sessionIds: z.array(SessionId).min(1).max(64) }),
    output: z.object({ sent: z.number().int() }),
    summary: 'Type a saved command into one or more terminals.',
    cli: false,
  }),
};
