/**
 * The named options of `o` that are set, as an object to spread into another options object.
 *
 * Options are `exactOptionalPropertyTypes`: passing `{ retry: undefined }` is not the same as leaving it out, so
 * every driver forwarded its options one `...(o.x !== undefined ? { x: o.x } : {})` at a time. This does it once.
 */
export function definedOptions<T extends object, K extends keyof T>(
  o: T,
  keys: readonly K[],
): { [P in K]?: Exclude<T[P], undefined> } {
  const out: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined) out[k] = v as Exclude<T[K], undefined>;
  }
  return out;
}

/** `{ signal }` when there is one, else nothing: the request option every client call passes along. */
export function signalOpt(signal?: AbortSignal): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
