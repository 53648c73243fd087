import { describe, expect, it } from 'vitest';
import { binaryFieldOf, decodeBinaryEvent, encodeBinaryEvent } from '../../../src/shared/binary-frame';

describe('binary event frames', () => {
  it('round-trips an event with bytes, keeping the other fields', () => {
    const data = new Uint8Array(70_000).map((_, i) => i % 251);
    const frame = encodeBinaryEvent('terminal.data', { sessionId: 's-1', seq: 9, data }, 'data');
    expect(frame.length).toBeLessThan(data.length + 100);
    const back = decodeBinaryEvent(frame);
    expect(back.name).toBe('terminal.data');
    expect(back.payload).toMatchObject({ sessionId: 's-1', seq: 9 });
    expect(Buffer.from(back.payload.data as Uint8Array).equals(Buffer.from(data))).toBe(true);
  });

  it('finds exactly one top-level byte field, else none', () => {
    expect(binaryFieldOf({ a: 1, data: Buffer.from('x') })).toBe('data');
    expect(binaryFieldOf({ a: new Uint8Array(1), b: new Uint8Array(1) })).toBeNull();
    expect(binaryFieldOf({ a: 'text' })).toBeNull();
    expect(binaryFieldOf(null)).toBeNull();
  });
});
