import { parseAuthorization } from './auth';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

describe('parseAuthorization', () => {
  it('reads a bearer key, whatever the scheme case', () => {
    expect(parseAuthorization('Bearer sb_abc')).toEqual({ scheme: 'bearer', secret: 'sb_abc' });
    expect(parseAuthorization('bearer sb_abc')).toEqual({ scheme: 'bearer', secret: 'sb_abc' });
  });

  it('reads the key from the Basic-auth password, ignoring the user name', () => {
    expect(parseAuthorization(basic('admin:secret-key'))).toEqual({ scheme: 'basic', secret: 'secret-key' });
    expect(parseAuthorization(basic(':pa:ss'))).toEqual({ scheme: 'basic', secret: 'pa:ss' });
  });

  it('sees no credentials in a missing, empty or foreign header', () => {
    expect(parseAuthorization(undefined)).toBeNull();
    expect(parseAuthorization('')).toBeNull();
    expect(parseAuthorization('Bearer')).toBeNull();
    expect(parseAuthorization('Bearer a b')).toBeNull();
    expect(parseAuthorization('Digest abc')).toBeNull();
    expect(parseAuthorization(basic('user-only'))).toBeNull();
    expect(parseAuthorization(basic('user:'))).toBeNull();
  });
});
