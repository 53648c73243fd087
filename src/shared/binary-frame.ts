/**
 * Binary WebSocket frames for events that carry bytes (terminal output): a JSON header and the raw bytes,
 * so megabytes of terminal output never pay base64 and JSON escaping. Layout:
 * [u32 big-endian header length][header JSON, UTF-8][bytes]. The header names the payload field the bytes
 * belong to. Pure (no Node, no DOM) so both ends share it.
 */
export interface BinaryEventHeader {
  readonly kind: 'event';
  readonly name: string;
  readonly payload: Record<string, unknown>;
  readonly field: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The name of the single top-level Uint8Array field of `payload`, if it has exactly one. */
export function binaryFieldOf(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  let found: string | null = null;
  for (const [k, v] of Object.entries(payload)) {
    if (v instanceof Uint8Array) {
      if (found !== null) return null;
      found = k;
    }
  }
  return found;
}

/** Packs an event whose `field` is a Uint8Array into one binary frame. */
export function encodeBinaryEvent(name: string, payload: Record<string, unknown>, field: string): Uint8Array {
  const bytes = payload[field] as Uint8Array;
  const rest: Record<string, unknown> = { ...payload };
  delete rest[field];
  const header = encoder.encode(
    JSON.stringify({ kind: 'event', name, payload: rest, field } satisfies BinaryEventHeader),
  );
  const out = new Uint8Array(4 + header.length + bytes.length);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  out.set(bytes, 4 + header.length);
  return out;
}

/** Unpacks a binary frame into the event name and its payload with the bytes back in place. */
export function decodeBinaryEvent(frame: Uint8Array): { name: string; payload: Record<string, unknown> } {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const len = view.getUint32(0);
  const header = JSON.parse(decoder.decode(frame.subarray(4, 4 + len))) as BinaryEventHeader;
  return { name: header.name, payload: { ...header.payload, [header.field]: frame.subarray(4 + len) } };
}
