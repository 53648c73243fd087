import { events, type EventName, type Payload } from '../../shared/contract';

/** A listener receives every event; transports forward them to their clients. */
export type EventListener = (name: EventName, payload: unknown) => void;

/**
 * Core-to-UI events. Services emit typed payloads; transports subscribe once and forward everything.
 * In tests (`validate`), every payload is checked against the contract so a drift fails loudly.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #validate: boolean;

  constructor(options: { validate?: boolean } = {}) {
    this.#validate = options.validate ?? false;
  }

  /** Emits `name` to every subscriber. */
  emit<E extends EventName>(name: E, payload: Payload<E>): void {
    if (this.#validate) events[name].payload.parse(payload);
    for (const l of this.#listeners) l(name, payload);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
