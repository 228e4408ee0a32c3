import { CHROMIUM_ROOT_FLAGS, chromiumLaunchArgs, formatBrowserMarker, parseBrowserMarker } from './chromium-launch-args';

describe('chromium launch args', () => {
  it('puts our flags first, then the marker, then the extra flags so they can override ours', () => {
    const args = chromiumLaunchArgs({ session: 'whatsapp.acc-1', ownerPid: 42 }, ['--disable-features=Foo', '--lang=de']);
    expect(args).toEqual([...CHROMIUM_ROOT_FLAGS, '--switchboard-browser=whatsapp.acc-1:42', '--disable-features=Foo', '--lang=de']);
    expect(CHROMIUM_ROOT_FLAGS).toEqual(
      expect.arrayContaining(['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']),
    );
  });

  it('reads back the marker it wrote, and nothing from an unmarked command line', () => {
    const marker = { session: 'whatsapp.3f1c_9', ownerPid: 31337 };
    expect(parseBrowserMarker(['/usr/lib/chromium/chromium', formatBrowserMarker(marker), '--no-sandbox'])).toEqual(marker);
    expect(parseBrowserMarker(['/usr/lib/chromium/chromium', '--no-sandbox'])).toBeUndefined();
    expect(parseBrowserMarker(['--switchboard-browser=broken'])).toBeUndefined();
  });

  it('refuses a session name that could break the command line', () => {
    expect(() => formatBrowserMarker({ session: 'a b', ownerPid: 1 })).toThrow(/must match/);
    expect(() => formatBrowserMarker({ session: 'a:b', ownerPid: 1 })).toThrow(/must match/);
  });
});
