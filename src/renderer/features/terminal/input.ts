/** Cuts `data` into pieces of at most `size` UTF-16 units, never between the two halves of a surrogate pair. */
export function splitInput(data: string, size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < data.length;) {
    let end = Math.min(data.length, at + size);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && end - at > 1 && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(data.slice(at, end));
    at = end;
  }
  return out;
}
