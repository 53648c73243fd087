import type { Server } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';

/** Longest jump chain a server may resolve to (each server lists at most 8 hops; nesting could multiply that). */
export const MAX_JUMP_CHAIN = 16;

/**
 * The hops before `server`, first hop first, as a connection walks them: the server's `jumpHostIds` in order; the
 * first hop is itself reached through its own jump hosts, recursively, while later hops are reached through the
 * hop before them (their own jump hosts are ignored, as `ssh -J a,b` does).
 *
 * One function for both the save-time check (ServersService) and the connect-time resolution (VaultSshSource), so
 * what is accepted on save is exactly what can be connected. A server met twice is a loop: VALIDATION naming the
 * chain ("a → b → a") in the message and in `details.chain` (ids). A missing server is NOT_FOUND via `get`.
 */
export function resolveJumpChain(server: Server, get: (id: string) => Server): Server[] {
  return walk(server, [server], get);
}

function walk(server: Server, path: Server[], get: (id: string) => Server): Server[] {
  const [first, ...rest] = server.jumpHostIds;
  if (first === undefined) return [];
  const firstIndex = path.findIndex((s) => s.id === first);
  if (firstIndex >= 0)
    throw loopError(path[0] as Server, [...path.slice(firstIndex), path[firstIndex] as Server].reverse());
  const firstHop = get(first);
  const before = walk(firstHop, [...path, firstHop], get);
  const chain = [...before, firstHop, ...rest.map((id) => get(id))];
  const seen = new Set<string>(path.map((s) => s.id));
  for (const [i, hop] of chain.entries()) {
    // The server itself or an earlier hop met again: the connection would pass through it twice.
    if (seen.has(hop.id)) throw loopError(path[0] as Server, [...chain.slice(0, i + 1), path[0] as Server]);
    seen.add(hop.id);
  }
  if (chain.length > MAX_JUMP_CHAIN) {
    throw new AppError('VALIDATION', `The jump chain of ${server.name} is longer than ${MAX_JUMP_CHAIN} hops.`, {
      issues: [{ path: 'jumpHostIds', message: `longer than ${MAX_JUMP_CHAIN} hops` }],
    });
  }
  return chain;
}

/** VALIDATION for a loop; `hops` is the route as a connection would take it, ending at the server connected to. */
function loopError(server: Server, hops: Server[]): AppError {
  const route = hops.map((s) => s.name).join(' → ');
  const message = `The jump hosts of ${server.name} form a loop: ${route}.`;
  return new AppError('VALIDATION', message, {
    serverId: server.id,
    chain: hops.map((s) => s.id),
    issues: [{ path: 'jumpHostIds', message }],
  });
}
