import type { RemoteHost } from '../remote-host';
import { HESTIA_BIN, hestiaJson, hestiaOutcome } from './hestia-output';

/** One record of a v-list-* answer, with the account it belongs to. */
export interface HestiaRecord {
  readonly user: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Runs one read-only v-list-* command with `json` output and parses it. */
export async function hestiaList(host: RemoteHost, cmd: string, args: readonly string[]): Promise<HestiaRecord[]> {
  const r = await host.run([`${HESTIA_BIN}/${cmd}`, ...args, 'json']);
  const data = hestiaJson(hestiaOutcome(r, cmd), cmd);
  return Object.entries(data).map(([name, fields]) => ({ user: args[0] ?? '', name, fields }));
}

/** Hestia's accounts (v-list-users). */
export async function hestiaUsers(host: RemoteHost): Promise<string[]> {
  return (await hestiaList(host, 'v-list-users', [])).map((u) => u.name);
}

/** Every account's records of one kind (`v-list-web-domains` / `v-list-databases`). */
export async function hestiaAll(
  host: RemoteHost,
  cmd: 'v-list-web-domains' | 'v-list-databases',
): Promise<HestiaRecord[]> {
  const out: HestiaRecord[] = [];
  for (const user of await hestiaUsers(host)) out.push(...(await hestiaList(host, cmd, [user])));
  return out;
}
