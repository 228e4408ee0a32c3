export { createTestEnvironment, deleteKeysWithPrefix, TEST_POSTGRES, TEST_REDIS_URL, type TestEnvironment } from './test-environment';
export { waitFor } from './wait-for';
export { SwitchboardSystem, type Tenant } from './system/switchboard-system';
export { ManagedProcess } from './system/managed-process';
export { StreamWatcher } from './system/stream-watcher';
export { EventClient } from './system/event-client';
export { freePort } from './system/free-port';
export { sendMany, expectDeliveredExactlyOnce, expectOneClientEach } from './system/traffic';
