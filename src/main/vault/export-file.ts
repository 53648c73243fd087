import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { KdfParams } from '../../shared/contract/vault.contract';
import { AppError } from '../../shared/errors';
import { checkWritableTarget, fsErrorToAppError, readUserFile, USER_FILE_LIMITS } from '../core/user-files';
import { deriveKek, kdfParamsAcceptable, newSalt, seal, tryOpen } from './crypto';

const FORMAT = 'paneldeck-export' as const;

/** The clear header of an export file: what is needed to derive the key, nothing about the contents. */
const Header = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  kdf: KdfParams,
  salt: z.string(),
});

const ExportFile = Header.extend({ nonce: z.string(), ciphertext: z.string() });

/**
 * What an export carries: servers, credentials, snippets, trusted host keys, panel accounts and alert rules as
 * stored (audit lines stay in the vault they describe). Files written before a kind was exported simply have none.
 */
export const ExportBody = z.object({
  exportedAt: z.number().int(),
  servers: z.array(z.unknown()),
  credentials: z.array(z.unknown()),
  snippets: z.array(z.unknown()).default([]),
  hostKeys: z.array(z.unknown()).default([]),
  /** Panel accounts and alert rules (files written before they were exported have neither). */
  panels: z.array(z.unknown()).default([]),
  alertRules: z.array(z.unknown()).default([]),
});
export type ExportBody = z.infer<typeof ExportBody>;

function headerAad(h: z.infer<typeof Header>): Buffer {
  return Buffer.from(JSON.stringify({ format: h.format, version: h.version, kdf: h.kdf, salt: h.salt }), 'utf8');
}

/**
 * Writes `body` sealed with `password` by the vault's own scheme: Argon2id (parameters and salt in the header)
 * then AES-256-GCM with the header as associated data, so a header edited to weaken it fails to open.
 * Written to a temporary file and then put in place, so a crash never leaves half an export under the chosen
 * name. An existing file is replaced only with `overwrite` (FILE_EXISTS otherwise, also when one appears while
 * the key is derived: without `overwrite` the file is linked into place, which never replaces anything).
 */
export async function writeExport(
  file: string,
  password: string,
  body: ExportBody,
  kdf: KdfParams,
  opts: { overwrite: boolean } = { overwrite: false },
): Promise<void> {
  const what = 'the export file';
  await checkWritableTarget(file, { overwrite: opts.overwrite, what });
  const header = { format: FORMAT, version: 1 as const, kdf, salt: newSalt().toString('base64') };
  const key = await deriveKek(password, Buffer.from(header.salt, 'base64'), kdf);
  const sealed = seal(key, Buffer.from(JSON.stringify(body), 'utf8'), headerAad(header));
  key.fill(0);
  const out = { ...header, nonce: sealed.nonce.toString('base64'), ciphertext: sealed.ciphertext.toString('base64') };
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, `${JSON.stringify(out)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw fsErrorToAppError(e, { path: dir, action: 'write', what: 'the folder' });
  }
  try {
    if (opts.overwrite) await fs.rename(tmp, file);
    else await linkIntoPlace(tmp, file);
  } catch (e) {
    throw fsErrorToAppError(e, { path: file, action: 'write', what });
  } finally {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** Puts `tmp` at `file` unless `file` exists (link fails with EEXIST); renames where links are not supported. */
async function linkIntoPlace(tmp: string, file: string): Promise<void> {
  try {
    await fs.link(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new AppError('FILE_EXISTS', `${file} already exists. Replace it, or choose another name.`, { path: file });
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
    // File systems without hard links (FAT, some network shares): checked just before, so a plain rename.
    await fs.rename(tmp, file);
  }
}

/**
 * Opens an export file: the file errors of readUserFile (NOT_FOUND, PERMISSION_DENIED, TOO_LARGE, ...),
 * VALIDATION (not an export), WRONG_PASSWORD, or TAMPERED.
 */
export async function readExport(file: string, password: string): Promise<ExportBody> {
  const text = await readUserFile(file, { what: 'the export file', maxBytes: USER_FILE_LIMITS.exportFile });
  let parsed: z.infer<typeof ExportFile>;
  try {
    parsed = ExportFile.parse(JSON.parse(text));
  } catch {
    throw new AppError('VALIDATION', 'This is not a PanelDeck export file.');
  }
  if (!kdfParamsAcceptable(parsed.kdf))
    throw new AppError('TAMPERED', 'The export file has unacceptable key parameters.');
  const key = await deriveKek(password, Buffer.from(parsed.salt, 'base64'), parsed.kdf);
  const plain = tryOpen(
    key,
    { nonce: Buffer.from(parsed.nonce, 'base64'), ciphertext: Buffer.from(parsed.ciphertext, 'base64') },
    headerAad(parsed),
  );
  key.fill(0);
  // GCM cannot tell a wrong password from altered bytes; a wrong password is by far the likelier.
  if (plain === null) throw new AppError('WRONG_PASSWORD', 'Wrong export password (or the file was altered).');
  let json: unknown;
  try {
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new AppError('TAMPERED', 'The export file contents are malformed.');
  }
  const body = ExportBody.safeParse(json);
  if (!body.success) throw new AppError('TAMPERED', 'The export file contents are malformed.');
  return body.data;
}
