import type { EventEmitter } from 'node:events';

/**
 * Records a client's events from the moment it is attached, so a test can wait for an event that
 * may already have fired (the library's page callbacks race the driver's command answers).
 */
export class ClientEvents {
  readonly log: { name: string; args: unknown[] }[] = [];

  constructor(emitter: EventEmitter, names: readonly string[]) {
    for (const name of names) emitter.on(name, (...args: unknown[]) => this.log.push({ name, args }));
  }

  /** The arguments of every `name` event so far, oldest first. */
  of<T extends unknown[] = unknown[]>(name: string): T[] {
    return this.log.filter((event) => event.name === name).map((event) => event.args as T);
  }

  names(): string[] {
    return this.log.map((event) => event.name);
  }
}
