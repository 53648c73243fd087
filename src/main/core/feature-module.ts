import type { MethodName } from '../../shared/contract';
import type { Handlers } from './dispatcher';

/**
 * What every feature folder exports (DESIGN.md "feature modules"): the handlers of its contract methods and a
 * close. createCore only builds the modules and merges their handlers; the `Handlers` type makes a contract method
 * without a handler a compile error.
 */
export interface FeatureModule<K extends MethodName> {
  readonly handlers: Pick<Handlers, K>;
  close?(): Promise<void> | void;
}
