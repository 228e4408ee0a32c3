export * from './messenger-session';
export { createMessengerFactory, type MessengerFactory, type MessengerFactoryOptions, type SessionOwner } from './messenger-factory';
export { UnavailableSession } from './unavailable-session';
export { SandboxNetwork, type SandboxInbound, type SandboxNetworkOptions } from './sandbox/sandbox-network';
export { SandboxSession, type SandboxTimings } from './sandbox/sandbox-session';
export { SandboxInboundReader, type SandboxReceiver } from './sandbox/sandbox-inbound-reader';
export { LocalMediaStore, isSha256Hex, type MediaStore } from './media/local-media-store';
export * from './whatsapp';
