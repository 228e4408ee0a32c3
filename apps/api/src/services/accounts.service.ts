import { randomUUID } from 'node:crypto';
import {
  PROVIDER_LOGIN_METHODS,
  type Account,
  type ConnectBody,
  type CreateAccountBody,
  type DisconnectBody,
  type LoginBody,
  type QrCode,
} from '@switchboard/contracts';
import { toAccount, type AccountRepository, type AccountRow, type ConnectIntent } from '@switchboard/db';
import type { QrStore } from '@switchboard/events';
import { partitionOf, type LoginInputStore } from '@switchboard/queue';
import { ApiError } from '../http/api-error';
import type { JobDispatcher } from './job-dispatcher';
import { findOwnedAccount } from './owned-account';
import type { RedisGuard } from './redis-guard';

export interface AccountsServiceDeps {
  accounts: AccountRepository;
  jobs: JobDispatcher;
  qrCodes: QrStore;
  loginInputs: LoginInputStore;
  redis: RedisGuard;
  partitions: number;
}

/**
 * Account intents: each writes the desired state to PostgreSQL first, then enqueues a job for
 * the owning worker, which reloads the account and drives the session toward it.
 */
export class AccountsService {
  constructor(private readonly deps: AccountsServiceDeps) {}

  async create(tenantId: string, body: CreateAccountBody): Promise<Account> {
    // The id is chosen here because the partition is derived from it.
    const id = randomUUID();
    const row = await this.deps.accounts.create({
      id,
      tenantId,
      provider: body.provider,
      name: body.name,
      partition: partitionOf(id, this.deps.partitions),
    });
    return toAccount(row);
  }

  async list(tenantId: string): Promise<Account[]> {
    return (await this.deps.accounts.listForTenant(tenantId)).map(toAccount);
  }

  async get(tenantId: string, accountId: string): Promise<Account> {
    return toAccount(await findOwnedAccount(this.deps.accounts, tenantId, accountId));
  }

  /** The worker logs the session out and deletes the account with its data. */
  async delete(tenantId: string, accountId: string): Promise<Account> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const row = await this.setDesiredState(accountId, 'disconnected');
    await this.deps.jobs.dispatch('account.delete', { accountId });
    return toAccount(row);
  }

  async connect(tenantId: string, accountId: string, body: ConnectBody): Promise<Account> {
    const account = await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const offered = PROVIDER_LOGIN_METHODS[account.provider];
    if (!offered.includes(body.method)) {
      throw ApiError.unprocessable(`A ${account.provider} account cannot log in with "${body.method}"`, [
        { path: 'method', message: `${account.provider} offers ${offered.join(', ')}` },
      ]);
    }
    const row = await this.setDesiredState(accountId, 'connected', { loginMethod: body.method, phone: body.phone ?? null });
    await this.deps.jobs.dispatch('account.connect', { accountId });
    return toAccount(row);
  }

  /** The value travels sealed in Redis; only its reference goes into the job. */
  async login(tenantId: string, accountId: string, body: LoginBody): Promise<Account> {
    const account = await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const [step, value] = 'code' in body ? (['code', body.code] as const) : (['password', body.password] as const);
    const awaited = step === 'code' ? 'code_required' : 'password_required';
    if (account.status !== awaited) {
      throw ApiError.conflict(`The account is not waiting for a ${step} (its status is ${account.status})`);
    }
    const inputRef = await this.deps.redis.run('storing the login input', () => this.deps.loginInputs.put(accountId, value));
    await this.deps.jobs.dispatch('account.login-input', { accountId, step, inputRef });
    return toAccount(account);
  }

  async disconnect(tenantId: string, accountId: string, body: DisconnectBody): Promise<Account> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const row = await this.setDesiredState(accountId, 'disconnected');
    await this.deps.jobs.dispatch('account.disconnect', { accountId, logout: body.logout });
    return toAccount(row);
  }

  async pendingQr(tenantId: string, accountId: string): Promise<QrCode> {
    await findOwnedAccount(this.deps.accounts, tenantId, accountId);
    const qr = await this.deps.redis.run('reading the QR code', () => this.deps.qrCodes.get(accountId));
    if (!qr) throw new ApiError('not_found', 'No QR code is pending for this account');
    return qr;
  }

  private async setDesiredState(
    accountId: string,
    state: AccountRow['desiredState'],
    intent?: ConnectIntent,
  ): Promise<AccountRow> {
    const row = await this.deps.accounts.setDesiredState(accountId, state, intent);
    // Deleted between the lookup and the update (a concurrent DELETE).
    if (!row) throw ApiError.notFound('Account');
    return row;
  }
}
