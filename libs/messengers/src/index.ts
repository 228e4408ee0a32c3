export * from './messenger-session';
export { createMessengers, type Messengers, type MessengersOptions, type SessionOwner } from './messenger-runtime';
export { UnavailableSession } from './unavailable-session';
export { SandboxNetwork, SandboxMessageNotFoundError, SandboxActionRefusedError, type SandboxInbound, type SandboxNetworkOptions } from './sandbox/sandbox-network';
export { type SandboxTimings } from './sandbox/sandbox-session';
export { type SandboxDevice } from './sandbox/sandbox-clients';
export { LocalMediaStore, isSha256Hex, type MediaStore } from './media/local-media-store';
export * from './whatsapp';
