import type { AccountRepository, AccountRow } from '@switchboard/db';
import { ApiError } from '../http/api-error';

/** The tenant's account, or a 404: another tenant's account does not exist for this caller. */
export async function findOwnedAccount(accounts: AccountRepository, tenantId: string, accountId: string): Promise<AccountRow> {
  const account = await accounts.findForTenant(tenantId, accountId);
  if (!account) throw ApiError.notFound('Account');
  return account;
}
