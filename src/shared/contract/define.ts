import { z } from 'zod';

/** A call from the UI (or CLI) to the core: input and result schemas, and a line for --help. */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
  /** Calls that only make sense in-process (e.g. they return a secret for copy) are hidden from the CLI. */
  readonly cli?: boolean;
}

/** A push from the core to the UI: terminal bytes, metric samples, progress. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

/** Declares a method; exists only so the literal keeps its precise schema types. */
export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

/** Declares an event. */
export function event<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}

/**
 * Marks a field of a method's input as a secret (a password, passphrase, private key or token). The mark lives in
 * the schema's metadata, so it shows in the JSON Schema of `paneldeck <method> --help` and the CLI derives from it
 * which fields must not arrive on its command line (where every local user can read them in /proc/<pid>/cmdline).
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true });
}

/** The answer of a call that only confirms it was done. */
export const Ok = z.object({ ok: z.literal(true) });
