import type {
  Account,
  SandboxActionAccepted,
  SandboxDeviceSendBody,
  SandboxDevices,
  SandboxEditBody,
  SandboxIncomingAccepted,
  SandboxIncomingBody,
  SandboxOutboxItem,
  SandboxReactBody,
  SandboxReadOnPhoneBody,
  SandboxRevokeBody,
} from '@switchboard/contracts';
import { toAccount, type AccountRepository, type AccountRow } from '@switchboard/db';
import { SandboxActionRefusedError, SandboxMessageNotFoundError, type SandboxNetwork } from '@switchboard/messengers';
import { ApiError } from '../http/api-error';
import { findOwnedAccount } from './owned-account';
import type { RedisGuard } from './redis-guard';

/** Drives the simulated network on behalf of a tenant (only mounted when SANDBOX_ENABLED). */
export class SandboxService {
  constructor(
    private readonly deps: { accounts: AccountRepository; network: SandboxNetwork; redis: RedisGuard },
  ) {}

  /** The simulated phone scans the pending QR or confirms the pairing code. */
  async scan(tenantId: string, accountId: string): Promise<Account> {
    const account = await this.sandboxAccount(tenantId, accountId);
    if (account.status !== 'qr' && account.status !== 'pairing_code') {
      throw ApiError.conflict(`Nothing to scan: the account shows no QR or pairing code (its status is ${account.status})`);
    }
    await this.deps.redis.run('the sandbox network', () => this.deps.network.scan(accountId));
    return toAccount(account);
  }

  /** The phone ends the linked device: the account's session stops working (it is logged out). */
  async logoutFromPhone(tenantId: string, accountId: string): Promise<Account> {
    const account = await this.sandboxAccount(tenantId, accountId);
    await this.deps.redis.run('the sandbox network', () => this.deps.network.logoutFromPhone(accountId));
    return toAccount(account);
  }

  async incoming(tenantId: string, accountId: string, body: SandboxIncomingBody): Promise<SandboxIncomingAccepted> {
    await this.sandboxAccount(tenantId, accountId);
    const externalId = await this.deps.redis.run('the sandbox network', () => this.deps.network.incoming(accountId, body));
    return { externalId };
  }

  /** The account's own phone sends a message (it arrives with origin `device`). */
  async deviceSend(tenantId: string, accountId: string, body: SandboxDeviceSendBody): Promise<SandboxIncomingAccepted> {
    await this.sandboxAccount(tenantId, accountId);
    const externalId = await this.deps.redis.run('the sandbox network', () => this.deps.network.deviceSend(accountId, body));
    return { externalId };
  }

  /** A contact edits one of its messages. */
  async edit(tenantId: string, accountId: string, body: SandboxEditBody): Promise<SandboxActionAccepted> {
    return this.act(tenantId, accountId, () => this.deps.network.edit(accountId, body));
  }

  /** A contact deletes one of its messages for everyone. */
  async revoke(tenantId: string, accountId: string, body: SandboxRevokeBody): Promise<SandboxActionAccepted> {
    return this.act(tenantId, accountId, () => this.deps.network.revoke(accountId, body));
  }

  /** A contact reacts to a message of the account. */
  async react(tenantId: string, accountId: string, body: SandboxReactBody): Promise<SandboxActionAccepted> {
    return this.act(tenantId, accountId, () => this.deps.network.react(accountId, body));
  }

  /** The account reads a chat on its phone. */
  async readOnPhone(tenantId: string, accountId: string, body: SandboxReadOnPhoneBody): Promise<SandboxActionAccepted> {
    return this.act(tenantId, accountId, () => this.deps.network.readOnPhone(accountId, body));
  }

  async outbox(tenantId: string, accountId: string): Promise<SandboxOutboxItem[]> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    return this.deps.redis.run('the sandbox network', () => this.deps.network.outbox(accountId));
  }

  async devices(tenantId: string, accountId: string): Promise<SandboxDevices> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    return this.deps.redis.run('the sandbox network', () => this.deps.network.devices(accountId));
  }

  private async act(tenantId: string, accountId: string, action: () => Promise<void>): Promise<SandboxActionAccepted> {
    await this.sandboxAccount(tenantId, accountId);
    await this.deps.redis.run('the sandbox network', () =>
      action().catch((error: unknown) => {
        // The network's own refusals are the caller's mistake, not an outage.
        if (error instanceof SandboxMessageNotFoundError) throw ApiError.notFound('Message');
        if (error instanceof SandboxActionRefusedError) throw ApiError.conflict(error.message, [{ path: 'externalId', message: error.message }]);
        throw error;
      }),
    );
    return {};
  }

  private async sandboxAccount(tenantId: string, accountId: string): Promise<AccountRow> {
    const account = await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    if (account.provider !== 'sandbox') {
      throw ApiError.unprocessable(`This is a ${account.provider} account; only sandbox accounts live on the simulated network`);
    }
    return account;
  }
}
