// The Telegram client layer (gramjs), kept out of the package index so that only code which
// runs Telegram loads gramjs.
export { TelegramUserClient, type TelegramIncomingMessage, type TelegramChannelRef, type TelegramDocumentRef, type TelegramUpdateState, type TelegramCatchUp } from './telegram-user-client';
export { TelegramCallError, toTelegramCallError, type TelegramFailureKind } from './telegram-call-error';
export { parseTelegramDc, parseTelegramProxy, type TelegramClientSettings, type TelegramDc } from './telegram-settings';
export { addServerKeys, readServerKeysFile } from './telegram-server-keys';
export { randomIdFor } from './telegram-random-id';
export { TelegramPhoneLogin } from './telegram-phone-login';
export { TelegramQrLogin, type TelegramQrCode, type TelegramQrLoginOptions } from './telegram-qr-login';
export { checkPassword } from './telegram-password-check';
export type { TelegramLoginProgress } from './telegram-login-progress';
