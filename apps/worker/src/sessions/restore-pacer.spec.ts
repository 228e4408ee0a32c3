import { RestorePacer } from './restore-pacer';

const pace = { sandbox: { concurrency: 2, spacingMs: 0 }, whatsapp: { concurrency: 1, spacingMs: 0 }, telegram: { concurrency: 1, spacingMs: 0 } };

describe('RestorePacer', () => {
  it('runs at most `concurrency` restores of a provider at once', async () => {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const pacer = new RestorePacer(pace, () => undefined);
    const done = Array.from({ length: 5 }, (_, i) =>
      new Promise<void>((resolve) =>
        pacer.schedule('sandbox', `a${i}`, 0, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise<void>((r) => releases.push(r));
          running -= 1;
          resolve();
        }),
      ),
    );
    while (releases.length > 0 || running > 0) {
      const release = releases.shift();
      if (release) release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(done);
    expect(peak).toBe(2);
  });

  it('drops waiting restores of a cancelled partition', async () => {
    const ran: string[] = [];
    let unblock!: () => void;
    const pacer = new RestorePacer(pace, () => undefined);
    pacer.schedule('whatsapp', 'first', 1, () => new Promise<void>((r) => (unblock = () => { ran.push('first'); r(); })));
    pacer.schedule('whatsapp', 'second', 2, async () => void ran.push('second'));
    pacer.cancelPartition(2);
    unblock();
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['first']);
    expect(pacer.pendingCount()).toBe(0);
  });
});
