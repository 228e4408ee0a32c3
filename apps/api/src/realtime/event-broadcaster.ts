import type { Histogram } from 'prom-client';
import type { Logger } from '@switchboard/config';
import type { EventStreamReader, StreamEvent } from '@switchboard/events';
import type { ClientFeed } from './client-feed';

/**
 * Reads the one event stream (a blocking XREAD on its own connection, no polling) and hands
 * each event to the feeds of its tenant on this api instance. Every instance reads the stream
 * itself, so a client on any instance gets every event of its tenant once.
 */
export class EventBroadcaster {
  private position = '0-0';
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly tenants = new Map<string, Set<ClientFeed>>();

  constructor(
    private readonly tail: EventStreamReader,
    private readonly disconnectTail: () => void,
    private readonly logger: Logger,
    private readonly eventLag?: Pick<Histogram, 'observe'>,
  ) {}

  /** Starts at the end of the stream: what came before is for replays. */
  async start(startAt: string): Promise<void> {
    this.position = startAt;
    this.running = true;
    this.loop = this.run();
  }

  get livePosition(): string {
    return this.position;
  }

  register(feed: ClientFeed): void {
    const feeds = this.tenants.get(feed.tenantId) ?? new Set<ClientFeed>();
    feeds.add(feed);
    this.tenants.set(feed.tenantId, feeds);
  }

  unregister(feed: ClientFeed): void {
    const feeds = this.tenants.get(feed.tenantId);
    feeds?.delete(feed);
    if (feeds?.size === 0) this.tenants.delete(feed.tenantId);
  }

  feeds(): ClientFeed[] {
    return [...this.tenants.values()].flatMap((set) => [...set]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let events: StreamEvent[];
      try {
        events = await this.tail.waitAfter(this.position, 1_000, 5_000);
      } catch (error) {
        if (!this.running) return;
        this.logger.warn({ err: error }, 'event stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      const readAt = Date.now();
      for (const event of events) {
        this.position = event.id;
        this.eventLag?.observe(Math.max(0, readAt - Number(event.id.split('-')[0])) / 1000);
        const feeds = this.tenants.get(event.tenantId);
        if (feeds) for (const feed of feeds) feed.push(event);
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.disconnectTail();
    await this.loop;
  }
}
