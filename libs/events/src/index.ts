export { EventPublisher, type EventPublisherOptions } from './event-publisher';
export { EventStreamReader } from './event-stream-reader';
export { QrStore } from './qr-store';
export { compareStreamIds, isStreamId } from './stream-id';
export { decodeEvent, encodeEvent, toClientEvent, type StreamEvent } from './stream-event';
export type { RedisFence } from './redis-fence';
