import type { Socket } from 'socket.io';
import { SYNC_RESET_EVENT } from '@switchboard/contracts';
import { compareStreamIds, toClientEvent, type EventStreamReader, type StreamEvent } from '@switchboard/events';

const REPLAY_PAGE = 1_000;

/**
 * One client's view of the stream: while it replays what it missed, live events wait in a
 * buffer; afterwards each event goes out once, in id order. An event seen by both the replay
 * and the live path is sent once (ids only ever grow for a client), so the seam has neither a
 * gap nor a duplicate.
 */
export class ClientFeed {
  private replaying = true;
  private buffer: StreamEvent[] = [];
  private lastSentId = '0-0';

  constructor(
    readonly socket: Socket,
    readonly tenantId: string,
    readonly keyId: string,
  ) {}

  push(event: StreamEvent): void {
    if (this.replaying) this.buffer.push(event);
    else this.send(event);
  }

  /**
   * `livePosition` is the broadcaster's position when this feed was registered: every later
   * event reaches `push`.
   */
  async replay(reader: EventStreamReader, lastEventId: string | null, livePosition: string): Promise<void> {
    if (lastEventId === null) {
      this.lastSentId = livePosition;
    } else if (compareStreamIds(lastEventId, await reader.lastId()) > 0) {
      // Ahead of every event there is (a wiped stream, another deployment's id): replaying
      // after it would silently skip every live event until the stream caught up.
      this.socket.emit(SYNC_RESET_EVENT, { reason: 'lastEventId is ahead of the stream (it was reset, or the id is from elsewhere); refetch over REST', at: new Date().toISOString() });
      this.lastSentId = livePosition;
    } else {
      await this.replayAfter(reader, lastEventId, livePosition);
    }
    for (const event of this.buffer) this.send(event);
    this.buffer = [];
    this.replaying = false;
  }

  /**
   * Replays page by page. Each page is read first, then checked against trimming: an event
   * trimmed between the check and the read would otherwise leave a silent gap. A gap found
   * means `sync.reset`: the client refetches over REST and goes on from the live position.
   */
  private async replayAfter(reader: EventStreamReader, lastEventId: string, livePosition: string): Promise<void> {
    this.lastSentId = lastEventId;
    let cursor = lastEventId;
    for (;;) {
      const page = await reader.readAfter(cursor, REPLAY_PAGE);
      if (await reader.lostAfter(cursor)) {
        this.socket.emit(SYNC_RESET_EVENT, { reason: 'lastEventId is older than the retained events; refetch over REST', at: new Date().toISOString() });
        if (compareStreamIds(livePosition, this.lastSentId) > 0) this.lastSentId = livePosition;
        return;
      }
      for (const event of page) {
        cursor = event.id;
        if (event.tenantId === this.tenantId) this.send(event);
      }
      if (page.length < REPLAY_PAGE || !this.socket.connected) return;
    }
  }

  private send(event: StreamEvent): void {
    if (compareStreamIds(event.id, this.lastSentId) <= 0) return;
    this.lastSentId = event.id;
    this.socket.emit(event.kind, toClientEvent(event));
  }
}
