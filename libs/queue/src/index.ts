export { QUEUE_NAMES, partitionQueueName } from './queue-names';
export { JOB_NAMES } from './job-names';
export { partitionOf } from './partition';
export { redisKeys, type RedisKeys } from './redis-keys';
export { createRedis, type RedisRole } from './redis-connection';
export { jobOptionsFor, SEND_MAX_ATTEMPTS, SEND_BACKOFF_TYPE } from './job-options';
export { JobProducer, type JobProducerOptions } from './job-producer';
export { LoginInputStore, type SecretSealer } from './login-input-store';
export { ownerOf, partitionsOwnedBy } from './rendezvous';
