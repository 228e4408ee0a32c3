import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientEvent, EventMap, Message } from '@switchboard/contracts';

export interface StatusSeen {
  status: string;
  /** performance.now() at arrival. */
  at: number;
}

/**
 * One tenant's Socket.IO client, as a customer would run it, keeping only what the scenarios
 * measure: arrival times of `sent` statuses, incoming messages and account statuses.
 */
export class LiveEvents {
  private readonly socket: Socket;
  /** messageId → arrival time of its first `sent` status. */
  readonly sentAt = new Map<string, number>();
  duplicateSent = 0;
  readonly statuses = new Map<string, StatusSeen[]>();
  /** Incoming messages: distinct ids, and delay from the network's `at` to arrival (ms, wall clock). */
  readonly receivedIds = new Set<string>();
  readonly receivedDelaysMs: number[] = [];
  lastReceivedAt = 0;

  constructor(url: string, token: string) {
    this.socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('message.status', (event: ClientEvent<'message.status'>) => {
      const data: EventMap['message.status'] = event.data;
      if (data.status !== 'sent') return;
      if (this.sentAt.has(data.messageId)) this.duplicateSent += 1;
      else this.sentAt.set(data.messageId, performance.now());
    });
    this.socket.on('message.received', (event: ClientEvent<'message.received'>) => {
      const message: Message = event.data;
      if (this.receivedIds.has(message.id)) return;
      this.receivedIds.add(message.id);
      this.lastReceivedAt = performance.now();
      if (message.sentAt) this.receivedDelaysMs.push(Date.now() - Date.parse(message.sentAt));
    });
    this.socket.on('account.status', (event: ClientEvent<'account.status'>) => {
      const list = this.statuses.get(event.accountId) ?? [];
      list.push({ status: event.data.status, at: performance.now() });
      this.statuses.set(event.accountId, list);
    });
  }

  connected(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      const timer = setTimeout(() => reject(new Error('the Socket.IO client did not connect')), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('connect_error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** First arrival of `status` for the account at or after `since` (performance.now() time). */
  firstStatusAfter(accountId: string, status: string, since: number): number | undefined {
    return this.statuses.get(accountId)?.find((s) => s.status === status && s.at >= since)?.at;
  }

  /** Re-checks every `recheckMs` until `check` holds; false when the time is up (never throws). */
  async until(check: () => boolean, timeoutMs: number, recheckMs = 20): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      if (performance.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, recheckMs));
    }
    return true;
  }

  close(): void {
    this.socket.close();
  }
}
