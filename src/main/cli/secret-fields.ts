import { z } from 'zod';
import { methods, type MethodName } from '../../shared/contract';

/**
 * The input fields of a method that the contract marks as secret (`secret()` in define.ts), as dotted paths
 * (`secret`, `patch.passphrase`). Derived from the schema's JSON Schema, so a field marked in the contract is
 * covered here without a list to keep in step.
 */
export function secretFields(name: MethodName): string[] {
  const schema = z.toJSONSchema(methods[name].input, { unrepresentable: 'any', io: 'input' });
  const out = new Set<string>();
  walk(schema, '', out, 0);
  return [...out].sort();
}

/** Keys of a free-form `values` record (a panel resource's form) that name a secret by their name. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|private.?key|api.?key|otp/i;

/**
 * The secret fields that are present (non-empty) in `input`: the contract's marked fields, and in a free-form
 * `values` record (panels.resources.create: the form the panel's driver describes) every key that names a secret.
 */
export function secretFieldsIn(name: MethodName, input: unknown): string[] {
  const present = (v: unknown): boolean => (typeof v === 'string' ? v.length > 0 : v !== undefined && v !== null);
  const marked = secretFields(name).filter((p) => {
    let v: unknown = input;
    for (const k of p.split('.')) v = isRecord(v) ? v[k] : undefined;
    return present(v);
  });
  const values = isRecord(input) ? input['values'] : undefined;
  const named = isRecord(values)
    ? Object.keys(values)
        .filter((k) => SECRET_KEY.test(k) && present(values[k]))
        .map((k) => `values.${k}`)
    : [];
  return [...marked, ...named];
}

function walk(node: unknown, at: string, out: Set<string>, depth: number): void {
  if (!isRecord(node) || depth > 12) return;
  if (node.secret === true && at) out.add(at);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = node[key];
    if (Array.isArray(list)) for (const n of list) walk(n, at, out, depth + 1);
  }
  const props = node.properties;
  if (isRecord(props)) {
    for (const [k, v] of Object.entries(props)) walk(v, at ? `${at}.${k}` : k, out, depth + 1);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
