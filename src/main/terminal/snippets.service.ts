import type { ServiceContext } from '../core/service-context';
import type { Snippet } from '../../shared/contract/snippets.contract';
import type { VaultService } from '../vault/vault.service';
import type { TerminalService } from './terminal.service';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Saved commands, sealed in the vault (kind 'snippet': a command can name hosts, paths and users), and typed into
 * terminals on request. Why typed rather than executed: the user sees the command run in their own shell, with its
 * environment and history, exactly as if they had typed it.
 */
export class SnippetsService {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #terminals: TerminalService;

  constructor(deps: { vault: VaultService; ctx: ServiceContext; terminals: TerminalService }) {
    this.#ctx = deps.ctx;
    this.#vault = deps.vault;
    this.#terminals = deps.terminals;
  }

  /** Snippets whose name, command or tags contain `query`, sorted by name. */
  list(q: { query?: string | undefined }): Snippet[] {
    const text = q.query?.trim().toLowerCase() ?? '';
    return [...this.#vault.records().all('snippet').values()]
      .filter((s) => text === '' || [s.name, s.command, ...s.tags].join('\n').toLowerCase().includes(text))
      .sort((a, b) => collator.compare(a.name, b.name));
  }

  create(fields: { name: string; command: string; tags: string[] }): Snippet {
    const now = this.#ctx.clock.now();
    const s: Snippet = { id: this.#ctx.newId(), ...fields, createdAt: now, updatedAt: now };
    this.#vault.records().write({ put: [{ kind: 'snippet', id: s.id, data: s }] });
    return s;
  }

  update(
    id: string,
    patch: { name?: string | undefined; command?: string | undefined; tags?: string[] | undefined },
  ): Snippet {
    const current = this.#get(id);
    const next: Snippet = {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.command === undefined ? {} : { command: patch.command }),
      ...(patch.tags === undefined ? {} : { tags: patch.tags }),
      updatedAt: this.#ctx.clock.now(),
    };
    this.#vault.records().write({ put: [{ kind: 'snippet', id, data: next }] });
    return next;
  }

  delete(id: string): { ok: true } {
    this.#get(id);
    this.#vault.records().write({ delete: [id] });
    return { ok: true };
  }

  /** Types the command into each session; `sent` counts the sessions that took it. */
  run(id: string, sessionIds: readonly string[]): { sent: number } {
    const s = this.#get(id);
    return { sent: this.#terminals.typeInto(sessionIds, s.command) };
  }

  #get(id: string): Snippet {
    return this.#vault.records().get('snippet', id, 'snippet');
  }
}
