import { parseTelegramDc, parseTelegramProxy } from './telegram-settings';

describe('parseTelegramDc', () => {
  it('reads <dcId>@<ipv4> and an optional port', () => {
    expect(parseTelegramDc('2@149.154.167.40')).toEqual({ id: 2, ipAddress: '149.154.167.40', port: undefined });
    expect(parseTelegramDc(' 4@127.0.0.4:4430 ')).toEqual({ id: 4, ipAddress: '127.0.0.4', port: 4430 });
  });

  it.each(['', '2', '2@', '@1.2.3.4', 'x@1.2.3.4', '2@1.2.3', '2@host.example', '2@1.2.3.4:0', '2@1.2.3.4:70000'])(
    'refuses %p, naming the setting',
    (value) => expect(() => parseTelegramDc(value)).toThrow(/TELEGRAM_DC/),
  );
});

describe('parseTelegramProxy', () => {
  it('reads socks5://host:port', () => {
    expect(parseTelegramProxy('socks5://10.0.0.1:1080')).toEqual({ ip: '10.0.0.1', port: 1080, socksType: 5 });
  });

  it('refuses other schemes and a missing port', () => {
    expect(() => parseTelegramProxy('http://10.0.0.1:8080')).toThrow(/TELEGRAM_PROXY/);
    expect(() => parseTelegramProxy('socks5://10.0.0.1')).toThrow(/TELEGRAM_PROXY/);
  });
});
