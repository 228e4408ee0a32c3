import { Api } from 'telegram';

export const now = () => Math.floor(Date.now() / 1000);

/** A new message in a log: what a difference returns in `newMessages`. */
export interface LoggedUpdate {
  pts: number;
  date: number;
  message: Api.Message;
}

/** A change to messages already delivered (edit, delete, read): `otherUpdates` of a difference. */
export interface LoggedEvent {
  pts: number;
  update: Api.TypeUpdate;
}

/**
 * What one account (its private chats and basic groups) or one channel has seen, under its own
 * pts and its own message ids: Telegram numbers messages per account, except in channels.
 */
export class UpdateLog {
  pts = 1;
  private nextMessageId = 1;
  private messages: LoggedUpdate[] = [];
  private readonly events: LoggedEvent[] = [];

  /** Logs a new message; `build` gets its id and date. */
  addMessage(build: (id: number, date: number) => Api.Message): LoggedUpdate {
    const date = now();
    const message = build(this.nextMessageId++, date);
    this.pts += 1;
    const logged = { pts: this.pts, date, message };
    this.messages.push(logged);
    return logged;
  }

  /** Gives a logged message new text; returns it and the pts of the edit. */
  edit(messageId: number, text: string): { message: Api.Message; pts: number } {
    const entry = this.messages.find((candidate) => candidate.message.id === messageId);
    if (!entry) throw new Error(`no message ${messageId} in this log`);
    const old = entry.message;
    entry.message = new Api.Message({
      id: old.id,
      out: old.out,
      post: old.post,
      peerId: old.peerId,
      fromId: old.fromId,
      date: old.date,
      message: text,
      media: old.media,
      editDate: now(),
    });
    this.pts += 1;
    return { message: entry.message, pts: this.pts };
  }

  /** Forgets messages (deleted for everyone); returns the pts after the deletion. */
  remove(messageIds: number[]): number {
    this.messages = this.messages.filter((entry) => !messageIds.includes(entry.message.id));
    this.pts += messageIds.length;
    return this.pts;
  }

  /** A change that takes one pts but no message (e.g. a read receipt). */
  advance(): number {
    this.pts += 1;
    return this.pts;
  }

  /** Keeps the update that announced a change, for catch-up. */
  record(pts: number, update: Api.TypeUpdate): void {
    this.events.push({ pts, update });
  }

  /** Everything after `pts`, up to `untilPts`. */
  after(pts: number, untilPts = Infinity): { messages: LoggedUpdate[]; events: LoggedEvent[] } {
    const inRange = (entry: { pts: number }) => entry.pts > pts && entry.pts <= untilPts;
    return { messages: this.messages.filter(inRange), events: this.events.filter(inRange) };
  }

  /** The pts values after `pts`, in order (for paging). */
  ptsAfter(pts: number): number[] {
    return [...this.messages, ...this.events].map((entry) => entry.pts).filter((entryPts) => entryPts > pts).sort((a, b) => a - b);
  }
}
