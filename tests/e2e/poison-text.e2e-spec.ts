import { freePort, SwitchboardSystem, type Tenant } from '@switchboard/testing';

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';
const HUGE = 'x'.repeat(100_000);
const BAD_VALUES: [string, string][] = [
  ['a NUL character', NUL],
  ['an unpaired surrogate', LONE_SURROGATE],
  ['a 100 kB text', HUGE],
];

interface Received {
  externalId: string | null;
  text: string | null;
  chatId: string;
}

/**
 * Text PostgreSQL cannot store is refused at our API (400 naming the field) and made safe when
 * it comes from a network; either way no other message, account or tenant is held up.
 */
describe('text that PostgreSQL cannot store', () => {
  let system: SwitchboardSystem;
  let acme: Tenant;
  let other: Tenant;
  let acmeAccount: string;
  let otherAccount: string;
  let metricsPort: number;

  beforeAll(async () => {
    system = await SwitchboardSystem.create('e2e-poison-text');
    await system.startApi();
    metricsPort = await freePort();
    await system.startWorker('poison-w1', { WORKER_METRICS_PORT: String(metricsPort), WORKER_METRICS_HOST: '127.0.0.1' });
    acme = await system.createTenant('acme');
    other = await system.createTenant('other');
    acmeAccount = (await system.createSandboxAccount(acme, 'acme-phone')).id;
    otherAccount = (await system.createSandboxAccount(other, 'other-phone')).id;
    await Promise.all([system.connectByQr(acme, acmeAccount), system.connectByQr(other, otherAccount)]);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  const apiFields = (): { field: string; request: (value: string) => [string, string, string, unknown] }[] => [
    { field: 'name', request: (v) => ['POST', '/v1/tenants', system.env.adminKey, { name: v }] },
    { field: 'name', request: (v) => ['POST', '/v1/accounts', acme.apiKey, { provider: 'sandbox', name: v }] },
    { field: 'code', request: (v) => ['POST', `/v1/accounts/${acmeAccount}/login`, acme.apiKey, { code: v }] },
    { field: 'password', request: (v) => ['POST', `/v1/accounts/${acmeAccount}/login`, acme.apiKey, { password: v }] },
    { field: 'to', request: (v) => ['POST', `/v1/accounts/${acmeAccount}/messages`, acme.apiKey, { to: v, text: 'hi' }] },
    { field: 'text', request: (v) => ['POST', `/v1/accounts/${acmeAccount}/messages`, acme.apiKey, { to: 'alice', text: v }] },
    {
      field: 'media.filename',
      request: (v) => ['POST', `/v1/accounts/${acmeAccount}/messages`, acme.apiKey, { to: 'alice', media: { data: 'aGk=', mimeType: 'text/plain', filename: v } }],
    },
  ];

  it('refuses NUL, unpaired surrogates and 100 kB text in every text field of the API with a 400 naming the field', async () => {
    const failures: string[] = [];
    for (const { field, request } of apiFields()) {
      for (const [what, value] of BAD_VALUES) {
        const [method, path, key, body] = request(value);
        const answer = await system.http<{ error: { code: string; details?: { path: string }[] } }>(method, path, key, body);
        const named = answer.body?.error?.details?.some((d) => d.path === field) ?? false;
        if (answer.status !== 400 || answer.body.error.code !== 'validation_failed' || !named) {
          failures.push(`${method} ${path} ${field} with ${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('stores network text safely and keeps every other message flowing, with none lost', async () => {
    const incoming = (accountId: string, key: string, body: Record<string, unknown>) =>
      system.http<{ externalId: string }>('POST', `/v1/sandbox/accounts/${accountId}/incoming`, key, body);

    const poison: Record<string, unknown>[] = [
      { from: 'alice', text: `text ${NUL}` },
      { from: `bob${'\u0000'}`, text: 'a sender with a NUL' },
      { from: 'carol', fromName: `Car${'\u0000'}ol`, text: 'a name with a NUL' },
      { from: 'dave', text: `text ${LONE_SURROGATE} and \uDC00` },
      { from: 'erin', text: HUGE },
    ];
    const externalIds: { accountId: string; externalId: string }[] = [];
    // The other tenant writes before, between and after the poison; so does the same account.
    for (let round = 0; round < poison.length; round++) {
      const fine = await incoming(otherAccount, other.apiKey, { from: 'zoe', text: `fine ${round}` });
      const same = await incoming(acmeAccount, acme.apiKey, { from: 'alice', text: `also fine ${round}` });
      const bad = await incoming(acmeAccount, acme.apiKey, poison[round] as Record<string, unknown>);
      for (const [answer, accountId] of [[fine, otherAccount], [same, acmeAccount], [bad, acmeAccount]] as const) {
        expect(answer.status).toBe(202);
        externalIds.push({ accountId, externalId: answer.body.externalId });
      }
    }
    const after = await incoming(otherAccount, other.apiKey, { from: 'zoe', text: 'after all of it' });
    externalIds.push({ accountId: otherAccount, externalId: after.body.externalId });

    await system.events.until(
      (events) => {
        const received = new Set(events.filter((e) => e.kind === 'message.received').map((e) => (e.data as Received).externalId));
        return externalIds.every(({ externalId }) => received.has(externalId));
      },
      `all ${externalIds.length} incoming messages to be stored and published`,
      30_000,
    );

    const rows = await system.sql<{ external_id: string; text: string; account_id: string; chat_external: string; title: string | null }>(
      `select m.external_id, m.text, m.account_id, c.external_id as chat_external, c.title
         from message m join chat c on c.id = m.chat_id where m.direction = 'in'`,
    );
    expect(rows).toHaveLength(externalIds.length);
    const textOf = (from: string) => rows.find((r) => r.chat_external === from && r.text !== null && !r.text.startsWith('also fine'))?.text;
    expect(textOf('alice')).toBe('text a\uFFFDb');
    expect(rows.some((r) => r.chat_external === 'bob\uFFFD' && r.text === 'a sender with a NUL')).toBe(true);
    expect(rows.find((r) => r.chat_external === 'carol')?.title).toBe('Car\uFFFDol');
    expect(textOf('dave')).toBe('text a\uFFFDb and \uFFFD');
    expect(textOf('erin')?.length).toBe(65_536);
    // Nothing needed the quarantine: everything was made storable on the way in.
    expect(await system.sql('select id from quarantined_message')).toEqual([]);
    const worker = system.worker('poison-w1');
    expect(worker.tail(400)).not.toMatch(/invalid byte sequence/);
  });

  it('counts it all in the metrics of both processes', async () => {
    const sent = await system.send(acme, acmeAccount, 'alice', 'counted');
    await system.waitForMessages([sent.id], ['sent']);
    const value = (text: string, metric: string) => {
      const line = text.split('\n').find((l) => l.startsWith(metric));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };

    const worker = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(value(worker, 'switchboard_worker_live_sessions{provider="sandbox",worker="poison-w1"}')).toBe(2);
    expect(value(worker, 'switchboard_worker_leases_held{worker="poison-w1"}')).toBe(system.partitions);
    expect(value(worker, 'switchboard_worker_restores_pending{worker="poison-w1"}')).toBe(0);
    expect(value(worker, 'switchboard_worker_incoming_messages_total{outcome="stored",worker="poison-w1"}')).toBeGreaterThanOrEqual(16);
    expect(value(worker, 'switchboard_worker_incoming_messages_total{outcome="quarantined",worker="poison-w1"}')).toBe(0);
    expect(value(worker, 'switchboard_worker_send_attempts_total{outcome="done",worker="poison-w1"}')).toBeGreaterThanOrEqual(1);
    expect(value(worker, 'switchboard_worker_incoming_store_seconds_count')).toBeGreaterThan(0);

    const apiMetrics = await fetch(`${system.apiUrl}/metrics`, { headers: { authorization: `Bearer ${system.env.adminKey}` } });
    const api = await apiMetrics.text();
    expect(value(api, 'switchboard_accounts{provider="sandbox",status="connected"}')).toBe(2);
    expect(value(api, 'switchboard_event_stream_length')).toBeGreaterThan(0);
    expect(value(api, 'switchboard_event_stream_lag_seconds_count')).toBeGreaterThan(0);
    expect(value(api, 'switchboard_quarantined_messages')).toBe(0);
  });
});
