// The fake Telegram data centre, kept out of the package index so that only tests which need
// it load gramjs.
export { FakeTelegram, type FakeTelegramOptions, type RecordedRequest } from './fake-telegram';
export type { FakeChat, FakeUser, NewChat, NewUser, SentMessage } from './telegram-world';
export { FakeTelegramProcess, type FakeTelegramInfo, type RecordedRequestSummary } from './fake-telegram-process';
export { startDriverServer } from './fake-telegram-driver-server';
