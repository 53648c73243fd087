import type { Transport } from '../../shared/contract/app.contract';
import { AppService } from '../services/app.service';
import { Dispatcher, type Handlers } from './dispatcher';
import { EventBus } from './event-bus';
import { Logger, Redactor, stderrSink, type LogSink } from './logger';

export interface CoreOptions {
  readonly dataDir: string;
  readonly electronVersion?: string | null;
  readonly logSink?: LogSink;
  /** Validate results and event payloads against the contract (tests, development). */
  readonly strict?: boolean;
}

/** The assembled core: one dispatcher, one event bus, the services behind them. */
export interface Core {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly dataDir: string;
  /** Releases every resource (databases, connections). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds the core for any transport. Services take their dependencies in the constructor; the handler map
 * wires each contract method to exactly one service method (DESIGN.md rule 2).
 */
export function createCore(options: CoreOptions): Core {
  const redactor = new Redactor();
  const logger = new Logger({ sink: options.logSink ?? stderrSink, redactor });
  const events = new EventBus({ validate: options.strict ?? false });
  const app = new AppService({ dataDir: options.dataDir, electronVersion: options.electronVersion ?? null });

  const handlers: Handlers = {
    'app.info': (_input, ctx) => app.info(ctx),
    'app.health': () => app.health(),
  };

  const dispatcher = new Dispatcher(handlers, { logger, validateOutput: options.strict ?? false });
  let closed = false;
  return {
    dispatcher,
    events,
    logger,
    dataDir: options.dataDir,
    async close() {
      if (closed) return;
      closed = true;
    },
  };
}

export type { Transport };
