import { readFileSync } from 'node:fs';
import { expectOneClientEach, SwitchboardSystem, waitFor, type Tenant } from '@switchboard/testing';

const LEASE_TTL_MS = 2000;

/** 'T' while the process is stopped (SIGSTOP), from /proc. */
const processState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];

describe('fencing: a worker frozen before it deletes a stored session, woken after the account moved on', () => {
  let system: SwitchboardSystem;
  let tenant: Tenant;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-late-logout', { LEASE_TTL_MS: String(LEASE_TTL_MS) });
    await system.startApi();
    await system.startWorker('ll-stale', { FAULT_INJECTION: 'stop-before-session-delete' });
    await system.waitForFullOwnership(['ll-stale']);
    tenant = await system.createTenant();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('refuses its late session delete and status: the new owner’s session survives', async () => {
    const account = await system.createSandboxAccount(tenant, 'late-logout');
    await system.connectByQr(tenant, account.id);
    const stale = system.worker('ll-stale');

    // The phone logs the device out; the owner freezes right before deleting the stored session.
    expect((await system.http('POST', `/v1/sandbox/accounts/${account.id}/logout-from-phone`, tenant.apiKey)).status).toBe(202);
    await waitFor(async () => processState(stale.pid) === 'T', { description: 'the owner to freeze before its session delete' });

    // A new owner takes the account, finds it logged out, and the user logs in again.
    let mark = system.events.events.length;
    await system.startWorker('ll-heir');
    await system.waitForAllLeases('ll-heir', LEASE_TTL_MS + 10_000);
    await system.waitForStatus(account.id, 'logged_out', mark);
    mark = system.events.events.length;
    await system.connectByQr(tenant, account.id);
    const [before] = await system.sql<{ fence: string; updated_at: Date }>('select fence::text, updated_at from account_session where account_id = $1', [account.id]);
    expect(before).toBeDefined();

    // The frozen owner wakes and goes on with what it was doing: its writes are refused.
    stale.signal('SIGCONT');
    await stale.waitForOutput(/stale write refused/, 10_000);
    expect(stale.tail(400)).toMatch(/"what":"session delete"[^\n]*stale write refused|stale write refused[^\n]*"what":"session delete"/);
    await stale.waitForOutput(/partition lease lost/, 10_000);

    const [after] = await system.sql<{ fence: string; updated_at: Date }>('select fence::text, updated_at from account_session where account_id = $1', [account.id]);
    expect(after).toEqual(before);
    const { body } = await system.http<{ status: string }>('GET', `/v1/accounts/${account.id}`, tenant.apiKey);
    expect(body.status).toBe('connected');
    expect(system.events.events.slice(mark).filter((e) => e.accountId === account.id && e.kind === 'account.status').map((e) => (e.data as { status: string }).status)).not.toContain(
      'logged_out',
    );
    // The woken worker heartbeats again, so partitions rebalance between the two: once ownership
    // settles, the account runs on exactly one client, that of its lease holder, with no conflict.
    await system.waitForFullOwnership(['ll-stale', 'll-heir'], 20_000);
    await expectOneClientEach(system, tenant, [account.id]);
  });
});
