import { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import { createLogger } from '@switchboard/config';
import type { DomainEvent } from '@switchboard/contracts';
import { EventPublisher, EventStreamReader, type StreamEvent } from '@switchboard/events';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@switchboard/testing';
import { ClientFeed } from './client-feed';
import { EventBroadcaster } from './event-broadcaster';

const TENANT = 'tenant-a';
const OTHER = 'tenant-b';

/** What a Socket.IO client of the feed receives, in order. */
class RecordingSocket {
  readonly connected = true;
  readonly received: { kind: string; id?: string }[] = [];
  emit(kind: string, data: { id?: string }): boolean {
    this.received.push({ kind, id: data.id });
    return true;
  }
  ids(): string[] {
    return this.received.filter((r) => r.kind !== 'sync.reset').map((r) => r.id as string);
  }
}

const event = (tenantId: string, n: number): DomainEvent => ({
  kind: 'account.status',
  tenantId,
  accountId: '00000000-0000-4000-8000-000000000000',
  at: new Date().toISOString(),
  data: { status: 'connected', reason: `#${n}` },
});

describe('ClientFeed: replay joined to live delivery (real Redis stream)', () => {
  let env: TestEnvironment;
  let redis: Redis;
  let tailRedis: Redis;
  let publisher: EventPublisher;
  let streamKey: string;
  let broadcaster: EventBroadcaster;
  let counter = 0;

  beforeEach(async () => {
    env = await createTestEnvironment('client-feed');
    streamKey = `${env.redisPrefix}:events`;
    redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    tailRedis = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    publisher = new EventPublisher({ redis, streamKey, maxLength: 1_000_000 });
  });

  afterEach(async () => {
    await broadcaster?.stop();
    redis.disconnect();
    await env.cleanup();
  });

  const publishMany = async (count: number, tenantOf: (i: number) => string = () => TENANT) =>
    publisher.publish(Array.from({ length: count }, (_, i) => event(tenantOf(i), counter++)));

  const startBroadcaster = async (reader: EventStreamReader) => {
    broadcaster = new EventBroadcaster(new EventStreamReader(tailRedis, streamKey), () => tailRedis.disconnect(), createLogger('test', 'silent'));
    await broadcaster.start(await reader.lastId());
  };

  const tenantIdsAfter = async (afterId: string): Promise<string[]> => {
    const all = (await redis.xrange(streamKey, `(${afterId}`, '+')) as [string, string[]][];
    return all.filter(([, fields]) => fields[1] === TENANT).map(([id]) => id);
  };

  it('delivers every event once, in order, while new events arrive during a replay of several pages', async () => {
    const [first] = await publishMany(1);
    await publishMany(2_500, (i) => (i % 5 === 0 ? OTHER : TENANT));
    const reader = new EventStreamReader(redis, streamKey);
    await startBroadcaster(reader);
    // Live events are produced while each replay page is read.
    let pagesRead = 0;
    const producing = {
      readAfter: async (afterId: string, count: number): Promise<StreamEvent[]> => {
        const page = await reader.readAfter(afterId, count);
        pagesRead += 1;
        await publishMany(7, (i) => (i % 2 ? OTHER : TENANT));
        return page;
      },
      lostAfter: (afterId: string) => reader.lostAfter(afterId),
      lastId: () => reader.lastId(),
    } as EventStreamReader;

    const socket = new RecordingSocket();
    const feed = new ClientFeed(socket as unknown as Socket, TENANT, 'key');
    const livePosition = broadcaster.livePosition;
    broadcaster.register(feed);
    await feed.replay(producing, first as string, livePosition);
    expect(pagesRead).toBeGreaterThanOrEqual(3);
    const [last] = await publishMany(1);

    await waitFor(async () => socket.ids().includes(last as string), { description: 'the last live event to reach the client' });
    const expected = await tenantIdsAfter(first as string);
    expect(socket.received.some((r) => r.kind === 'sync.reset')).toBe(false);
    expect(socket.ids()).toEqual(expected);
  });

  it('sends sync.reset, never a silent gap, when the stream is trimmed past the replay while it runs', async () => {
    const [first] = await publishMany(1);
    await publishMany(2_500);
    const reader = new EventStreamReader(redis, streamKey);
    await startBroadcaster(reader);
    let trimmed = false;
    const trimming = {
      readAfter: async (afterId: string, count: number): Promise<StreamEvent[]> => {
        // Trimmed between the read of the first page and its check: the check runs after the read.
        const page = await reader.readAfter(afterId, count);
        if (!trimmed) {
          trimmed = true;
          await redis.xtrim(streamKey, 'MAXLEN', 100);
        }
        return page;
      },
      lostAfter: (afterId: string) => reader.lostAfter(afterId),
      lastId: () => reader.lastId(),
    } as EventStreamReader;

    const socket = new RecordingSocket();
    const feed = new ClientFeed(socket as unknown as Socket, TENANT, 'key');
    const livePosition = broadcaster.livePosition;
    broadcaster.register(feed);
    await feed.replay(trimming, first as string, livePosition);
    const [live] = await publishMany(1);
    await waitFor(async () => socket.ids().includes(live as string), { description: 'the live event after the reset' });

    expect(socket.received[0]?.kind).toBe('sync.reset');
    expect(socket.ids()).toEqual([live]);
  });

  it('replays from the start of a stream that was never trimmed, without a reset', async () => {
    await publishMany(10);
    const reader = new EventStreamReader(redis, streamKey);
    await startBroadcaster(reader);
    const socket = new RecordingSocket();
    const feed = new ClientFeed(socket as unknown as Socket, TENANT, 'key');
    const livePosition = broadcaster.livePosition;
    broadcaster.register(feed);
    await feed.replay(reader, '0-0', livePosition);
    expect(socket.received.some((r) => r.kind === 'sync.reset')).toBe(false);
    expect(socket.ids()).toEqual(await tenantIdsAfter('0-0'));
  });
});
