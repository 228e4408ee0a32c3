import { io, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../api/api-types';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LiveHandlers {
  onEvent(event: LiveEvent): void;
  onReset(): void;
  onState(state: LiveState): void;
}

/** Stream ids are `<ms>-<seq>`: compares two of them. */
export function streamIdAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am > bm : as > bs;
}

/**
 * One Socket.IO connection for the console. It reconnects by itself and hands the server the
 * last event id it handled, so what was missed while away is replayed, in order, exactly once.
 */
export class LiveSocket {
  private readonly socket: Socket;
  private lastEventId: string | undefined;

  constructor(token: string, handlers: LiveHandlers) {
    this.socket = io({
      auth: (cb) => cb({ token, ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}) }),
      reconnectionDelayMax: 3000,
    });
    handlers.onState('connecting');
    this.socket.on('connect', () => handlers.onState('live'));
    this.socket.on('disconnect', () => handlers.onState('reconnecting'));
    this.socket.on('connect_error', (error) => handlers.onState(error.message === 'unauthorized' ? 'refused' : 'reconnecting'));
    this.socket.on('sync.reset', () => handlers.onReset());
    this.socket.onAny((kind: string, event: LiveEvent | undefined) => {
      if (kind === 'sync.reset' || !event?.id) return;
      // A replayed event the console already handled is dropped: each one is applied once.
      if (this.lastEventId && !streamIdAfter(event.id, this.lastEventId)) return;
      this.lastEventId = event.id;
      handlers.onEvent(event);
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
