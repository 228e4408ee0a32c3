/**
 * Every Redis key Switchboard writes, under one prefix (REDIS_PREFIX), so two deployments on
 * one Redis never meet. The db index of REDIS_URL is respected by every connection as well.
 */
export function redisKeys(prefix: string) {
  return {
    bullPrefix: `${prefix}:bull`,
    /** ZSET worker id → last heartbeat (ms). */
    workers: `${prefix}:workers`,
    /** SET of the partitions a worker is running right now (its own view, for ops and tests). */
    workerPartitions: (workerId: string) => `${prefix}:worker:${workerId}:partitions`,
    lease: (partition: number) => `${prefix}:lease:${partition}`,
    /** Monotonic fencing counter per partition. */
    leaseToken: (partition: number) => `${prefix}:lease-token:${partition}`,
    events: `${prefix}:events`,
    qr: (accountId: string) => `${prefix}:qr:${accountId}`,
    loginInput: (ref: string) => `${prefix}:login-input:${ref}`,
    /** Pub/sub channel for api-to-api control messages (key revoked, …). */
    control: `${prefix}:control`,
    sandbox: {
      /** Per-partition stream of what the simulated network delivers to accounts (scans, messages). */
      inbound: (partition: number) => `${prefix}:sandbox:inbound:${partition}`,
      /** Where the owner of a partition has read its inbound stream up to. */
      inboundCursor: (partition: number) => `${prefix}:sandbox:inbound-cursor:${partition}`,
      /**
       * Stream of everything the network delivered to an account (messages, edits, revokes,
       * reactions, reads on the phone), capped: what a client catches up on after a restore.
       */
      history: (accountId: string) => `${prefix}:sandbox:history:${accountId}`,
      /** The bytes of one incoming media item (expire after a day, as real networks drop them). */
      media: (mediaId: string) => `${prefix}:sandbox:media:${mediaId}`,
      /** HASH of the account's contacts (`id:<contact>` → name and phone) and phones (`phone:<e164>` → contact). */
      directory: (accountId: string) => `${prefix}:sandbox:directory:${accountId}`,
      /** HASH chat id → the chat as the network knows it (title, kind, phone, newest message). */
      chats: (accountId: string) => `${prefix}:sandbox:chats:${accountId}`,
      /** HASH chat id → unread count (incoming raises it; a read on the phone or by the client zeroes it). */
      unread: (accountId: string) => `${prefix}:sandbox:unread:${accountId}`,
      /** HASH external id → where a message of the account is, who wrote it and when. */
      messages: (accountId: string) => `${prefix}:sandbox:messages:${accountId}`,
      /** Every delivery the network was asked for, oldest first, with no dedupe. */
      outbox: (accountId: string) => `${prefix}:sandbox:outbox:${accountId}`,
      /** Client message id → the last delivery of it: what `findSent` asks the network. */
      sentIndex: (accountId: string) => `${prefix}:sandbox:sent-index:${accountId}`,
      /** The account's connected client (one at most), renewed by its heartbeat. */
      client: (accountId: string) => `${prefix}:sandbox:client:${accountId}`,
      /** How many times a client connected while another one was connected. */
      conflicts: (accountId: string) => `${prefix}:sandbox:conflicts:${accountId}`,
      failedOnce: (messageId: string) => `${prefix}:sandbox:failed-once:${messageId}`,
      /** The device token the simulated network issued at the last successful login. */
      device: (accountId: string) => `${prefix}:sandbox:device:${accountId}`,
    },
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
