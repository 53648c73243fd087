/**
 * Hostile strings for every name that reaches a server (domains, database and user names, paths, URLs): shell
 * metacharacters, command substitution, quotes, newlines, NUL, path traversal, nginx directive injection,
 * homoglyphs, overlong and empty values. Each embeds `canary` so a test can prove nothing ran.
 */
export function hostileNames(canary: string): string[] {
  const payloads = [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `;touch ${canary}`,
    `&& touch ${canary}`,
    `| touch ${canary}`,
    `'; touch ${canary}; '`,
    `"; touch ${canary}; "`,
    `\ntouch ${canary}\n`,
    `\r\ntouch ${canary}`,
    `\0touch ${canary}`,
    `$IFS;touch$IFS${canary}`,
    `{touch,${canary}}`,
    `>${canary}`,
    `<${canary}`,
    `*;touch ${canary}`,
    `../../../../${canary}`,
    `; } server { listen 80; root /; } #`,
    `x; include /etc/shadow;`,
    `\\'; touch ${canary} #`,
    `%0atouch ${canary}`,
  ];
  const shapes = [
    (p: string) => p,
    (p: string) => `a${p}`,
    (p: string) => `example.com${p}`,
    (p: string) => `${p}.example.com`,
    (p: string) => `sub.${p}.com`,
    (p: string) => `/var/www/${p}`,
    (p: string) => `http://127.0.0.1:3000/${p}`,
    (p: string) => `db_${p}`,
    (p: string) => ` ${p} `,
    (p: string) => `${p}${p}`,
    (p: string) => `xn--${p}`,
    (p: string) => `user${p}`,
    (p: string) => `-${p}`,
    (p: string) => `http://${p}:80/`,
    (p: string) => `/${p}/public`,
    (p: string) => p.toUpperCase(),
    (p: string) => encodeURIComponent(p),
    (p: string) => `ех${p}ample.com`,
    (p: string) => `${p}\u202e`,
    (p: string) => `example..com${p}`,
    (p: string) => `.${p}`,
    (p: string) => `${p}.`,
    (p: string) => `a.${'b'.repeat(64)}.${p}`,
    (p: string) => `${'a'.repeat(250)}${p}`,
    (p: string) => `~root/${p}`,
  ];
  const out = new Set<string>();
  for (const p of payloads) for (const s of shapes) out.add(s(p));
  for (const fixed of ['', ' ', '.', '..', '-', '_', 'test..com', '-a.com', 'a-.com', 'a', 'localhost', '127.0.0.1']) {
    out.add(fixed);
  }
  return [...out];
}
