import { EventEmitter } from 'node:events';

/** A message the library handed to the network (`addAndSendMsgToChat`): one per delivery. */
export interface RecordedSend {
  id: string;
  to: string;
  type: string;
  body: string | undefined;
  t: number;
}

export type PageReport =
  | { type: 'send'; data: RecordedSend }
  | { type: 'missing'; data: { name: string } }
  | { type: 'error'; data: { where: string; error: string } }
  | { type: 'seen'; data: { chatId: string } }
  | { type: 'logout'; data: Record<string, never> }
  | { type: 'pairingCode'; data: { phone: string; code: string } }
  | { type: 'online'; data: { device: LinkedDevice } };

/** A linked device: the phone's account and the device's own id (a new scan makes a new device). */
export interface LinkedDevice {
  phone: string;
  pushname: string;
  lid: string;
}

export interface PageState {
  socket: string;
  hasSynced: boolean;
  device: LinkedDevice | null;
  ref: string;
  pairingCode: { phone: string; code: string } | null;
  /** The library finished wiring the page (its inject() subscribed to everything). */
  libraryWired: boolean;
}

export interface PhoneProfile {
  /** Digits only or with punctuation: `+1 555 000 1111`. */
  phone: string;
  pushname?: string;
}

export interface IncomingMedia extends Omit<IncomingText, 'body'> {
  mimetype: string;
  /** The file's bytes, base64. */
  data: string;
  filename?: string;
  caption?: string;
}

export interface IncomingText {
  /** The sender's chat id (`15550002222@c.us`) for a private message. */
  from: string;
  body: string;
  /** A group: the message comes from `author` in chat `group.id` (`…@g.us`). */
  group?: { id: string; subject: string; members?: string[] };
  author?: string;
  t?: number;
}

/**
 * The modules and members whatsapp-web.js 1.34.7 probes inside try/catch (and copes without):
 * the fake leaves them out, and a test allows exactly these in `missing`.
 */
export const LIBRARY_OPTIONAL_PROBES: readonly string[] = [
  'module WAWebBackendJobsCommon',
  'module WAWebE2EProtoUtils',
  'module WAWebAddonPollVoteTableMode',
];

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** One loaded fake WhatsApp Web page (one browser tab): what the phone and the contacts do to it. */
export class FakeWhatsAppPage extends EventEmitter {
  connected = true;
  /** The device this page runs as, while the network counts it online. */
  onlineAs: LinkedDevice | undefined;
  readonly sends: RecordedSend[] = [];
  readonly missing: string[] = [];
  readonly errors: string[] = [];
  readonly seen: string[] = [];
  private nextCommandId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly id: string,
    private readonly push: (payload: unknown) => void,
  ) {
    super();
  }

  /** Missing modules or members beyond the library's documented optional probes. */
  unexpectedMissing(): string[] {
    return this.missing.filter((name) => !LIBRARY_OPTIONAL_PROBES.includes(name));
  }

  state(): Promise<PageState> {
    return this.command('state') as Promise<PageState>;
  }
  /** A new QR reference (WhatsApp rotates it about every 20 s); the library emits a new `qr`. */
  rotateQr(): Promise<string> {
    return this.command('rotateQr') as Promise<string>;
  }
  /** The phone scans the QR: the page pairs, connects and syncs (→ `authenticated`, `ready`). */
  scan(profile: PhoneProfile): Promise<{ phone: string; lid: string }> {
    return this.command('scan', profile) as Promise<{ phone: string; lid: string }>;
  }
  /** The phone enters the pairing code the library asked for (same outcome as a scan). */
  enterPairingCode(profile: Omit<PhoneProfile, 'phone'>): Promise<{ phone: string; lid: string }> {
    return this.command('enterPairingCode', profile) as Promise<{ phone: string; lid: string }>;
  }
  /** A contact (or a group member) writes; answers the message's key as the page spells it. */
  receiveMessage(message: IncomingText): Promise<{ id: string; chatId: string }> {
    return this.command('receiveMessage', message) as Promise<{ id: string; chatId: string }>;
  }
  /** A contact sends an image, video, audio or document; `downloadMedia()` answers its bytes. */
  receiveMedia(message: IncomingMedia): Promise<{ id: string; chatId: string }> {
    return this.command('receiveMedia', message) as Promise<{ id: string; chatId: string }>;
  }
  /** A contact reacts to a message; an empty emoji takes the reaction back. */
  react(messageId: string, emoji: string, from: string): Promise<{ id: string }> {
    return this.command('react', { id: messageId, emoji, from }) as Promise<{ id: string }>;
  }
  /** The account's owner writes from the phone (or another linked device). */
  sendFromPhone(message: { to: string; body: string; t?: number }): Promise<{ id: string; chatId: string }> {
    return this.command('sendFromPhone', message) as Promise<{ id: string; chatId: string }>;
  }
  /** The author edits a message (by its key, as `receiveMessage` answered it). */
  async edit(messageId: string, body: string): Promise<void> {
    await this.command('edit', { id: messageId, body });
  }
  /** The author deletes a message for everyone. */
  async revoke(messageId: string): Promise<void> {
    await this.command('revoke', { id: messageId });
  }
  /** The network reports progress on a message: 1 server, 2 delivered, 3 read, 4 played. */
  async ack(messageId: string, ack: number): Promise<void> {
    await this.command('ack', { id: messageId, ack });
  }
  /** The device is removed on the phone: the socket goes `UNPAIRED`. */
  async unpair(): Promise<void> {
    this.onlineAs = undefined;
    await this.command('unpair');
  }
  /** WhatsApp Web was opened elsewhere: the socket goes `CONFLICT`. */
  async conflict(): Promise<void> {
    this.onlineAs = undefined;
    await this.command('conflict');
  }
  /** Logged out from the phone: the page starts over at `/?post_logout=1` (the library's `LOGOUT`). */
  async logOut(): Promise<void> {
    this.onlineAs = undefined;
    await this.command('logOut');
  }

  /** @internal The page answered a command. */
  settle({ id, ok, value, error }: { id: number; ok: boolean; value?: unknown; error?: string }): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (ok) pending.resolve(value);
    else pending.reject(new Error(`fake WhatsApp Web page: ${error}`));
  }

  /** @internal The page reported something it did. */
  record(report: PageReport): void {
    if (report.type === 'send') this.sends.push(report.data);
    if (report.type === 'missing') this.missing.push(report.data.name);
    if (report.type === 'error') this.errors.push(`${report.data.where}: ${report.data.error}`);
    if (report.type === 'seen') this.seen.push(report.data.chatId);
    this.emit('report', report);
  }

  /** @internal The page's connection closed (browser gone or navigated away). */
  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`fake WhatsApp Web page ${this.id} closed before answering command ${id}`));
    }
    this.pending.clear();
    this.emit('disconnected');
  }

  private command(name: string, ...args: unknown[]): Promise<unknown> {
    if (!this.connected) return Promise.reject(new Error(`fake WhatsApp Web page ${this.id} is closed`));
    const id = this.nextCommandId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`fake WhatsApp Web page ${this.id} did not answer ${name} within 15 s`));
      }, 15_000);
      this.pending.set(id, { resolve, reject, timer });
      this.push({ id, name, args });
    });
  }
}
