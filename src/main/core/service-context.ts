import type { Clock } from '../vault/clock';
import type { Logger } from './logger';

/**
 * What every service takes directly (issue 9, "feature modules"): time, the logger (and its secret redactor) and
 * the id generator. Services do not reach for them through the vault, so each can be built and tested alone.
 */
export interface ServiceContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
}
