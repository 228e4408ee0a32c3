import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type bigInt from 'big-integer';
import { FakeRpcError, authKeyUnregistered } from './fake-rpc-error';
import type { RpcContext, RpcEnvironment } from './rpc-handlers';
import { SrpVerifier } from './srp-verifier';
import { now, type FakeUser } from './telegram-world';

/** What a login code was sent for, by phone_code_hash. */
interface SentCode {
  phone: string;
  code: string;
  authKeyId: string;
}

interface LoginToken {
  token: Buffer;
  authKeyId: string;
  expires: number;
  acceptedBy?: number;
}

const LOGIN_TOKEN_SECONDS = 30;

/**
 * The login methods (phone and code, 2FA with SRP, QR tokens) and their state, plus the driver's
 * side of them: reading the code sent, another device accepting a QR token.
 */
export class LoginHandlers {
  private readonly sentCodes = new Map<string, SentCode>();
  private readonly loginTokens = new Map<string, LoginToken>();
  private readonly srpChallenges = new Map<string, { userId: number; b: bigInt.BigInteger; B: bigInt.BigInteger }>();
  private readonly verifiers = new Map<number, Promise<SrpVerifier>>();
  /** The last code sent to each phone, for the driver (the user reading it on their phone). */
  readonly lastCodeByPhone = new Map<string, string>();

  constructor(private readonly env: RpcEnvironment) {}

  /** The driver: another device of `userId` scans the newest QR token shown on any client. */
  acceptLoginToken(token: Buffer, userId: number): void {
    const entry = this.loginTokens.get(token.toString('hex'));
    if (!entry || entry.expires < now()) throw new Error('no such login token (expired or never exported)');
    entry.acceptedBy = userId;
    this.env.pushToKey(entry.authKeyId, new Api.UpdateShort({ update: new Api.UpdateLoginToken(), date: now() }));
  }

  newestLoginToken(): Buffer | undefined {
    const tokens = [...this.loginTokens.values()].filter((entry) => entry.expires >= now() && entry.acceptedBy === undefined);
    return tokens.at(-1)?.token;
  }

  private checkApp(apiId: number, apiHash: string): void {
    if (apiId !== this.env.apiId || apiHash !== this.env.apiHash) throw new FakeRpcError(400, 'API_ID_INVALID');
  }

  sendCode(context: RpcContext, request: Api.auth.SendCode): Api.auth.SentCode {
    this.checkApp(request.apiId, request.apiHash);
    const user = this.env.world.userByPhone(request.phoneNumber);
    if (!user) throw new FakeRpcError(400, 'PHONE_NUMBER_INVALID');
    if (user.homeDc !== context.dcId) throw new FakeRpcError(303, `PHONE_MIGRATE_${user.homeDc}`);
    const phoneCodeHash = randomBytes(8).toString('hex');
    const code = this.env.world.newLoginCode();
    this.sentCodes.set(phoneCodeHash, { phone: user.phone, code, authKeyId: context.authKey.id });
    this.lastCodeByPhone.set(user.phone, code);
    return new Api.auth.SentCode({ type: new Api.auth.SentCodeTypeApp({ length: code.length }), phoneCodeHash, timeout: 60 });
  }

  async signIn(context: RpcContext, request: Api.auth.SignIn): Promise<Api.auth.Authorization> {
    const sent = this.sentCodes.get(request.phoneCodeHash);
    if (!sent || sent.phone !== request.phoneNumber.replace(/^\+/, '')) throw new FakeRpcError(400, 'PHONE_CODE_EXPIRED');
    if (!request.phoneCode) throw new FakeRpcError(400, 'PHONE_CODE_EMPTY');
    if (request.phoneCode !== sent.code) throw new FakeRpcError(400, 'PHONE_CODE_INVALID');
    this.sentCodes.delete(request.phoneCodeHash);
    return this.completeLogin(context, this.env.world.userByPhone(sent.phone)!);
  }

  /** The last step of every login: bind the key, or ask for the 2FA password first. */
  private completeLogin(context: RpcContext, user: FakeUser): Api.auth.Authorization {
    if (user.password !== undefined) {
      context.authKey.passwordPendingFor = user.id;
      throw new FakeRpcError(401, 'SESSION_PASSWORD_NEEDED');
    }
    this.env.authKeys.bind(context.authKey, user.id);
    return new Api.auth.Authorization({ user: this.env.world.tlUser(user, user.id) });
  }

  private verifierFor(user: FakeUser): Promise<SrpVerifier> {
    let verifier = this.verifiers.get(user.id);
    if (!verifier) {
      verifier = SrpVerifier.forPassword(user.password!);
      this.verifiers.set(user.id, verifier);
    }
    return verifier;
  }

  async getPassword(context: RpcContext): Promise<Api.account.Password> {
    const userId = context.authKey.passwordPendingFor ?? context.authKey.userId;
    if (userId === undefined) throw authKeyUnregistered();
    const user = this.env.world.user(userId);
    const noAlgo = { newAlgo: new Api.PasswordKdfAlgoUnknown(), newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(), secureRandom: randomBytes(32) };
    if (user.password === undefined) return new Api.account.Password({ hasPassword: false, ...noAlgo });
    const verifier = await this.verifierFor(user);
    const { b, B } = await verifier.challenge();
    const srpId = returnBigInt(randomBytes(7).readUIntBE(0, 6));
    this.srpChallenges.set(srpId.toString(), { userId, b, B });
    return new Api.account.Password({
      hasPassword: true,
      currentAlgo: verifier.algo,
      srp_B: Buffer.from(B.toString(16).padStart(512, '0'), 'hex'),
      srpId,
      ...noAlgo,
    });
  }

  async checkPassword(context: RpcContext, request: Api.auth.CheckPassword): Promise<Api.auth.Authorization> {
    const input = request.password;
    if (!(input instanceof Api.InputCheckPasswordSRP)) throw new FakeRpcError(400, 'PASSWORD_HASH_INVALID');
    const challenge = this.srpChallenges.get(input.srpId.toString());
    if (!challenge || challenge.userId !== context.authKey.passwordPendingFor) throw new FakeRpcError(400, 'SRP_ID_INVALID');
    this.srpChallenges.delete(input.srpId.toString());
    const user = this.env.world.user(challenge.userId);
    if (!(await (await this.verifierFor(user)).check(challenge, input.A, input.M1))) throw new FakeRpcError(400, 'PASSWORD_HASH_INVALID');
    this.env.authKeys.bind(context.authKey, user.id);
    return new Api.auth.Authorization({ user: this.env.world.tlUser(user, user.id) });
  }

  exportLoginToken(context: RpcContext, request: Api.auth.ExportLoginToken): Api.auth.TypeLoginToken {
    this.checkApp(request.apiId, request.apiHash);
    const accepted = [...this.loginTokens.values()].find((entry) => entry.authKeyId === context.authKey.id && entry.acceptedBy !== undefined);
    if (accepted) {
      const user = this.env.world.user(accepted.acceptedBy!);
      if (user.homeDc !== context.dcId) return new Api.auth.LoginTokenMigrateTo({ dcId: user.homeDc, token: accepted.token });
      this.loginTokens.delete(accepted.token.toString('hex'));
      return new Api.auth.LoginTokenSuccess({ authorization: this.completeLogin(context, user) });
    }
    const token = randomBytes(32);
    const expires = now() + LOGIN_TOKEN_SECONDS;
    this.loginTokens.set(token.toString('hex'), { token, authKeyId: context.authKey.id, expires });
    return new Api.auth.LoginToken({ expires, token });
  }

  importLoginToken(context: RpcContext, request: Api.auth.ImportLoginToken): Api.auth.TypeLoginToken {
    const entry = this.loginTokens.get(request.token.toString('hex'));
    if (!entry || entry.expires < now()) throw new FakeRpcError(400, 'AUTH_TOKEN_EXPIRED');
    if (entry.acceptedBy === undefined) throw new FakeRpcError(400, 'AUTH_TOKEN_INVALID');
    const user = this.env.world.user(entry.acceptedBy);
    if (user.homeDc !== context.dcId) throw new FakeRpcError(303, `USER_MIGRATE_${user.homeDc}`);
    this.loginTokens.delete(request.token.toString('hex'));
    return new Api.auth.LoginTokenSuccess({ authorization: this.completeLogin(context, user) });
  }
}
