import type { JobMap, JobName } from '@switchboard/contracts';
import type { JobProducer } from '@switchboard/queue';
import type { RedisGuard } from './redis-guard';

/** Enqueues through the one producer; an unreachable queue is a 503 (ApiError), not a hang. */
export class JobDispatcher {
  constructor(
    private readonly producer: JobProducer,
    private readonly guard: RedisGuard,
  ) {}

  async dispatch<N extends JobName>(name: N, data: JobMap[N]): Promise<void> {
    await this.guard.run('the job queue', () => this.producer.enqueue(name, data));
  }
}
