import type { JobMap, JobName } from '@switchboard/contracts';
import { TickBatcher } from '@switchboard/db';
import type { JobProducer } from '@switchboard/queue';
import type { RedisGuard } from './redis-guard';

/** Enqueues through the one producer; an unreachable queue is a 503 (ApiError), not a hang. */
export class JobDispatcher {
  /** Sends of one tick go out as one `addBulk` per partition queue. */
  private readonly sends: TickBatcher<JobMap['message.send'], { jobId: string; queue: string }>;

  constructor(
    private readonly producer: JobProducer,
    private readonly guard: RedisGuard,
  ) {
    this.sends = new TickBatcher((items) =>
      this.guard.run('the job queue', () => this.producer.enqueueMany(items.map((data) => ({ name: 'message.send' as const, data })))),
    );
  }

  async dispatchSend(data: JobMap['message.send']): Promise<void> {
    await this.sends.add(data);
  }

  async dispatch<N extends JobName>(name: N, data: JobMap[N]): Promise<void> {
    await this.guard.run('the job queue', () => this.producer.enqueue(name, data));
  }
}
