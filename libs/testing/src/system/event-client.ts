import { io, type Socket } from 'socket.io-client';
import type { ClientEvent } from '@switchboard/contracts';

/** A Socket.IO client as a customer writes it, recording every event it receives, in order. */
export class EventClient {
  readonly socket: Socket;
  readonly received: (ClientEvent | { kind: 'sync.reset'; id?: undefined; data: unknown })[] = [];
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(url: string, token: string, lastEventId?: string, onEvent?: (event: ClientEvent) => void) {
    this.socket = io(url, { auth: lastEventId ? { token, lastEventId } : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.onAny((kind: string, payload: unknown) => {
      if (kind === 'sync.reset') this.received.push({ kind: 'sync.reset', data: payload });
      else {
        this.received.push(payload as ClientEvent);
        onEvent?.(payload as ClientEvent);
      }
      for (const waiter of [...this.waiters]) {
        if (waiter.check()) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (error) => reject(error));
    });
  }

  /** Resolves with the connect error message (e.g. "unauthorized"). */
  refused(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
      this.socket.once('connect_error', (error) => resolve(error.message));
    });
  }

  disconnected(): Promise<string> {
    return new Promise((resolve) => {
      if (!this.socket.connected) return resolve('already');
      this.socket.once('disconnect', (reason) => resolve(reason));
    });
  }

  until(check: (events: EventClient['received']) => boolean, description: string, timeoutMs = 20_000): Promise<void> {
    if (check(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${description}; got ${this.received.length} events`)), timeoutMs);
      this.waiters.push({
        check: () => check(this.received),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  lastId(): string | undefined {
    return [...this.received].reverse().find((e) => e.id)?.id;
  }

  close(): void {
    this.socket.close();
  }
}
