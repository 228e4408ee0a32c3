import type { Provider } from '@switchboard/contracts';
import { PermanentSendError, type ChatInfo, type MessengerSession, type SendResult, type SessionSink } from './messenger-session';

/**
 * The session of a provider this build cannot run (its adapter is not built yet, or it is not
 * configured). It fails at start with a reason a person can read, instead of pretending.
 */
export class UnavailableSession implements MessengerSession {
  readonly connected = false;

  constructor(
    readonly provider: Provider,
    private readonly sink: SessionSink,
    private readonly reason: string,
  ) {}

  async start(): Promise<void> {
    await this.sink.status('failed', this.reason);
  }

  async submitLoginInput(): Promise<void> {
    throw new Error(this.reason);
  }

  async send(): Promise<SendResult> {
    throw new PermanentSendError(this.reason);
  }

  async findSent(): Promise<SendResult | null> {
    return null;
  }

  async listChats(): Promise<ChatInfo[]> {
    return [];
  }

  async stop(): Promise<void> {}
}
