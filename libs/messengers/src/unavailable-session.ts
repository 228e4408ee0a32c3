import type { Provider } from '@switchboard/contracts';
import { PermanentSendError, type ChatInfo, type MessengerSession, type ResolvedAddress, type SendResult, type SessionSink } from './messenger-session';

/**
 * The session of a provider this build cannot run (its adapter is not built yet, or it is not
 * configured). It fails at start with a reason a person can read, instead of pretending: it
 * resolves no address, and every send or action fails for good with that reason.
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

  async resolve(): Promise<ResolvedAddress | null> {
    return null;
  }

  async send(): Promise<SendResult> {
    throw new PermanentSendError(this.reason);
  }

  async findSent(): Promise<SendResult | null> {
    return null;
  }

  async edit(): Promise<{ editedAt: Date }> {
    throw new PermanentSendError(this.reason);
  }

  async delete(): Promise<void> {
    throw new PermanentSendError(this.reason);
  }

  async react(): Promise<void> {
    throw new PermanentSendError(this.reason);
  }

  async markRead(): Promise<void> {
    throw new PermanentSendError(this.reason);
  }

  async listChats(): Promise<ChatInfo[]> {
    return [];
  }

  async stop(): Promise<void> {}
}
