import { Server } from 'socket.io';
import { EventStreamReader } from '@switchboard/events';
import { createRedis } from '@switchboard/queue';
import type { AttachRealtime } from '../realtime-hook';
import { lastEventIdProblem } from './last-event-id';
import { ClientFeed } from './client-feed';
import { EventBroadcaster } from './event-broadcaster';

interface SocketAuth {
  token?: unknown;
  lastEventId?: unknown;
}

/**
 * Socket.IO on the api's port: authenticates with a tenant key, replays what a client missed
 * (`lastEventId`), then streams live events of its tenant. A revoked key's sockets are dropped.
 */
export const attachRealtime: AttachRealtime = async (server, { config, logger, keys, apiKeys, control, eventLag, authFailures }) => {
  const name = (role: string) => `${config.REDIS_PREFIX}:api:${process.pid}:${role}`;
  const tailRedis = createRedis(config.REDIS_URL, 'blocking', name('events-tail'));
  const readRedis = createRedis(config.REDIS_URL, 'command', name('events-read'));
  const tail = new EventStreamReader(tailRedis, keys.events);
  const reader = new EventStreamReader(readRedis, keys.events);
  const broadcaster = new EventBroadcaster(tail, () => tailRedis.disconnect(), logger, eventLag);
  await broadcaster.start(await reader.lastId().catch(() => '0-0'));

  const io = new Server(server, { serveClient: false });
  io.use((socket, next) => {
    const { token } = (socket.handshake.auth ?? {}) as SocketAuth;
    const address = socket.handshake.address;
    const presented = typeof token === 'string' ? token : '';
    const waitMs = authFailures?.retryAfterMs(address, presented) ?? 0;
    if (waitMs > 0) {
      return next(Object.assign(new Error('rate_limited'), { data: { code: 'rate_limited', retryAfter: Math.ceil(waitMs / 1000) } }));
    }
    const refuse = () => {
      authFailures?.recordFailure(address, presented);
      next(new Error('unauthorized'));
    };
    if (presented.length === 0) return refuse();
    apiKeys.resolve(presented).then(
      (key) => {
        if (!key) return refuse();
        const invalid = lastEventIdProblem((socket.handshake.auth as SocketAuth | undefined)?.lastEventId);
        if (invalid) return next(Object.assign(new Error(`invalid lastEventId: ${invalid}`), { data: { code: 'validation_failed', path: 'lastEventId', reason: invalid } }));
        socket.data.tenantId = key.tenantId;
        socket.data.keyId = key.keyId;
        next();
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'socket auth failed: key lookup unavailable');
        next(new Error('unavailable'));
      },
    );
  });

  io.on('connection', (socket) => {
    const { lastEventId } = (socket.handshake.auth ?? {}) as SocketAuth;
    const feed = new ClientFeed(socket, socket.data.tenantId as string, socket.data.keyId as string);
    // Registered before the replay reads anything, so no live event can fall between the two.
    const livePosition = broadcaster.livePosition;
    broadcaster.register(feed);
    void socket.join(`tenant:${feed.tenantId}`);
    socket.on('disconnect', () => broadcaster.unregister(feed));
    const from = typeof lastEventId === 'string' ? lastEventId : null;
    feed.replay(reader, from, livePosition).catch((error: unknown) => {
      logger.warn({ err: error }, 'event replay failed; disconnecting the client so it retries');
      socket.disconnect(true);
    });
  });

  const stopListening = control.onKeyRevoked((keyId) => {
    for (const feed of broadcaster.feeds()) if (feed.keyId === keyId) feed.socket.disconnect(true);
  });

  return {
    close: async () => {
      stopListening();
      io.disconnectSockets(true);
      await broadcaster.stop();
      readRedis.disconnect();
    },
  };
};
