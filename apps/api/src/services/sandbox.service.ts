import type { Account, SandboxDevices, SandboxIncomingAccepted, SandboxIncomingBody, SandboxOutboxItem } from '@switchboard/contracts';
import { toAccount, type AccountRepository, type AccountRow } from '@switchboard/db';
import type { SandboxNetwork } from '@switchboard/messengers';
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

  async outbox(tenantId: string, accountId: string): Promise<SandboxOutboxItem[]> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    return this.deps.redis.run('the sandbox network', () => this.deps.network.outbox(accountId));
  }

  async devices(tenantId: string, accountId: string): Promise<SandboxDevices> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    return this.deps.redis.run('the sandbox network', () => this.deps.network.devices(accountId));
  }

  private async sandboxAccount(tenantId: string, accountId: string): Promise<AccountRow> {
    const account = await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    if (account.provider !== 'sandbox') {
      throw ApiError.unprocessable(`This is a ${account.provider} account; only sandbox accounts live on the simulated network`);
    }
    return account;
  }
}
