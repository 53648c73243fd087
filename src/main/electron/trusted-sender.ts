/**
 * Decides whether an IPC message comes from our own renderer (GitHub Desktop's trusted-ipc-sender):
 * the sending frame must be the main frame showing our bundled index.html, or the dev server in development.
 * Pure function so it is unit-tested without Electron.
 */
export function isTrustedSenderUrl(
  senderUrl: string | undefined,
  trusted: { fileUrl: string; devOrigin?: string },
): boolean {
  if (!senderUrl) return false;
  let url: URL;
  try {
    url = new URL(senderUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const expected = new URL(trusted.fileUrl);
    return url.pathname === expected.pathname;
  }
  return trusted.devOrigin !== undefined && url.origin === trusted.devOrigin;
}
