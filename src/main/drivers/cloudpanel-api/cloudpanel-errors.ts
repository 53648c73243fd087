import { readErrorEnvelope } from '../http/envelope-errors';

/**
 * Reads CloudPanel's error envelopes: the documented `{error, code, details}` and the public code's
 * `{success:false, error:"msg"}` and `{success:false, error:{code, message, details}}` (the shared
 * {@link readErrorEnvelope}; kept under this name for the driver's callers).
 */
export const readCloudPanelError = readErrorEnvelope;
