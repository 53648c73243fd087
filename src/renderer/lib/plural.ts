/**
 * "1 server", "2 servers", "0 entries": a count with the word that agrees with it. English only has two forms, so
 * this stays a one-liner instead of Intl.PluralRules; pass the plural when it is not the singular plus "s".
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
