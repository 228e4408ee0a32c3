export { createTestEnvironment, deleteKeysWithPrefix, TEST_POSTGRES, TEST_REDIS_URL, type TestEnvironment } from './test-environment';
export { waitFor } from './wait-for';
export { SwitchboardSystem, type Tenant } from './system/switchboard-system';
export { ManagedProcess } from './system/managed-process';
export { StreamWatcher } from './system/stream-watcher';
export { EventClient } from './system/event-client';
export { freePort } from './system/free-port';
export { sendMany, expectDeliveredExactlyOnce, expectOneClientEach } from './system/traffic';
export { FakeWhatsAppWeb, FAKE_WHATSAPP_WEB_CHROMIUM_ARGS, type DeviceConflict, type MessageKeyShape } from './whatsapp/fake-whatsapp-web';
export {
  FakeWhatsAppPage,
  LIBRARY_OPTIONAL_PROBES,
  type IncomingMedia,
  type IncomingText,
  type LinkedDevice,
  type PageState,
  type PhoneProfile,
  type RecordedSend,
} from './whatsapp/fake-whatsapp-page';
export { ClientEvents } from './whatsapp/client-events';
