import { randomBytes } from 'node:crypto';
import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type bigInt from 'big-integer';
import type { AuthKeyRecord, AuthKeyRegistry } from './auth-key-registry';
import { FakeRpcError, authKeyUnregistered } from './fake-rpc-error';
import { SrpVerifier } from './srp-verifier';
import { now, type FakeUser, type TelegramWorld } from './telegram-world';

/** Where a request came from. */
export interface RpcContext {
  dcId: number;
  authKey: AuthKeyRecord;
}

export interface RpcEnvironment {
  world: TelegramWorld;
  authKeys: AuthKeyRegistry;
  apiId: number;
  apiHash: string;
  /** The data centres `help.getConfig` lists: id → IPv4 address (clients dial port 443/80 there). */
  dcAddresses: Map<number, string>;
  /** Pushes an update to every connection of one auth key. */
  pushToKey(authKeyId: string, updates: Api.TypeUpdates): void;
}

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

type Handler = (context: RpcContext, request: never) => Promise<unknown> | unknown;

const LOGIN_TOKEN_SECONDS = 30;

/**
 * The methods the fake serves, by TL class name. Anything not listed here is refused with
 * `FAKE_METHOD_NOT_IMPLEMENTED` by the caller: the fake never answers with something plausible.
 */
export class RpcHandlers {
  private readonly sentCodes = new Map<string, SentCode>();
  private readonly loginTokens = new Map<string, LoginToken>();
  private readonly srpChallenges = new Map<string, { userId: number; b: bigInt.BigInteger; B: bigInt.BigInteger }>();
  private readonly verifiers = new Map<number, Promise<SrpVerifier>>();
  /** The last code sent to each phone, for the driver (the user reading it on their phone). */
  readonly lastCodeByPhone = new Map<string, string>();

  constructor(private readonly env: RpcEnvironment) {}

  /** Methods that work before the key is logged in; every other one needs an authorized key. */
  private readonly anonymous: Record<string, Handler> = {
    'help.GetConfig': (context) => this.config(context.dcId),
    'help.GetNearestDc': (context) => new Api.NearestDc({ country: 'ZZ', thisDc: context.dcId, nearestDc: context.dcId }),
    'auth.SendCode': (context, request: Api.auth.SendCode) => this.sendCode(context, request),
    'auth.SignIn': (context, request: Api.auth.SignIn) => this.signIn(context, request),
    'account.GetPassword': (context) => this.getPassword(context),
    'auth.CheckPassword': (context, request: Api.auth.CheckPassword) => this.checkPassword(context, request),
    'auth.ExportLoginToken': (context, request: Api.auth.ExportLoginToken) => this.exportLoginToken(context, request),
    'auth.ImportLoginToken': (context, request: Api.auth.ImportLoginToken) => this.importLoginToken(context, request),
  };

  private readonly authorized: Record<string, (context: RpcContext, userId: number, request: never) => Promise<unknown> | unknown> = {
    'updates.GetState': (_context, userId) => this.env.world.state(userId),
    'updates.GetDifference': (_context, userId, request: Api.updates.GetDifference) => this.env.world.difference(userId, request.pts),
    'updates.GetChannelDifference': (_context, userId, request: Api.updates.GetChannelDifference) =>
      this.env.world.channelDifference(userId, request.channel, request.pts, request.limit),
    'upload.GetFile': (context, _userId, request: Api.upload.GetFile) =>
      new Api.upload.File({
        type: new Api.storage.FileUnknown(),
        mtime: now(),
        bytes: this.env.world.documents.part(request.location, request.offset.toJSNumber(), request.limit, context.dcId),
      }),
    'users.GetUsers': (_context, userId, request: Api.users.GetUsers) => this.getUsers(userId, request),
    'contacts.ResolveUsername': (_context, userId, request: Api.contacts.ResolveUsername) => this.resolveUsername(userId, request),
    'contacts.ResolvePhone': (_context, userId, request: Api.contacts.ResolvePhone) => this.resolvePhone(userId, request),
    'contacts.GetContacts': (_context, userId) => this.getContacts(userId),
    'messages.SendMessage': (_context, userId, request: Api.messages.SendMessage) => this.sendMessage(userId, request),
    'auth.LogOut': (context) => this.logOut(context),
  };

  has(method: string): boolean {
    return method in this.anonymous || method in this.authorized;
  }

  async handle(context: RpcContext, method: string, request: unknown): Promise<unknown> {
    const anonymous = this.anonymous[method];
    if (anonymous) return anonymous(context, request as never);
    const authorized = this.authorized[method];
    if (!authorized) throw new FakeRpcError(400, `FAKE_METHOD_NOT_IMPLEMENTED_${method}`);
    const userId = context.authKey.userId;
    if (userId === undefined) throw authKeyUnregistered();
    return authorized(context, userId, request as never);
  }

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

  private config(dcId: number): Api.Config {
    const date = now();
    return new Api.Config({
      date,
      expires: date + 3600,
      testMode: false,
      thisDc: dcId,
      dcOptions: [...this.env.dcAddresses].map(([id, ipAddress]) => new Api.DcOption({ id, ipAddress, port: 443 })),
      dcTxtDomainName: 'fake.invalid',
      chatSizeMax: 200,
      megagroupSizeMax: 200_000,
      forwardedCountMax: 100,
      onlineUpdatePeriodMs: 210_000,
      offlineBlurTimeoutMs: 5_000,
      offlineIdleTimeoutMs: 30_000,
      onlineCloudTimeoutMs: 300_000,
      notifyCloudDelayMs: 30_000,
      notifyDefaultDelayMs: 1_500,
      pushChatPeriodMs: 60_000,
      pushChatLimit: 2,
      editTimeLimit: 172_800,
      revokeTimeLimit: 2_147_483_647,
      revokePmTimeLimit: 2_147_483_647,
      ratingEDecay: 2_419_200,
      stickersRecentLimit: 200,
      channelsReadMediaPeriod: 604_800,
      callReceiveTimeoutMs: 20_000,
      callRingTimeoutMs: 90_000,
      callConnectTimeoutMs: 30_000,
      callPacketTimeoutMs: 10_000,
      meUrlPrefix: 'https://t.me/',
      captionLengthMax: 1024,
      messageLengthMax: 4096,
      webfileDcId: 4,
    });
  }

  private checkApp(apiId: number, apiHash: string): void {
    if (apiId !== this.env.apiId || apiHash !== this.env.apiHash) throw new FakeRpcError(400, 'API_ID_INVALID');
  }

  private sendCode(context: RpcContext, request: Api.auth.SendCode): Api.auth.SentCode {
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

  private async signIn(context: RpcContext, request: Api.auth.SignIn): Promise<Api.auth.Authorization> {
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

  private async getPassword(context: RpcContext): Promise<Api.account.Password> {
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

  private async checkPassword(context: RpcContext, request: Api.auth.CheckPassword): Promise<Api.auth.Authorization> {
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

  private exportLoginToken(context: RpcContext, request: Api.auth.ExportLoginToken): Api.auth.TypeLoginToken {
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

  private importLoginToken(context: RpcContext, request: Api.auth.ImportLoginToken): Api.auth.TypeLoginToken {
    const entry = this.loginTokens.get(request.token.toString('hex'));
    if (!entry || entry.expires < now()) throw new FakeRpcError(400, 'AUTH_TOKEN_EXPIRED');
    if (entry.acceptedBy === undefined) throw new FakeRpcError(400, 'AUTH_TOKEN_INVALID');
    const user = this.env.world.user(entry.acceptedBy);
    if (user.homeDc !== context.dcId) throw new FakeRpcError(303, `USER_MIGRATE_${user.homeDc}`);
    this.loginTokens.delete(request.token.toString('hex'));
    return new Api.auth.LoginTokenSuccess({ authorization: this.completeLogin(context, user) });
  }

  private getUsers(viewerId: number, request: Api.users.GetUsers): Api.User[] {
    const found: Api.User[] = [];
    for (const input of request.id) {
      try {
        found.push(this.env.world.tlUser(this.env.world.resolveUser(viewerId, input), viewerId));
      } catch {
        // Telegram leaves unknown users out of the vector.
      }
    }
    return found;
  }

  private resolved(viewerId: number, user: FakeUser): Api.contacts.ResolvedPeer {
    return new Api.contacts.ResolvedPeer({
      peer: new Api.PeerUser({ userId: returnBigInt(user.id) }),
      users: [this.env.world.tlUser(user, viewerId)],
      chats: [],
    });
  }

  private resolveUsername(viewerId: number, request: Api.contacts.ResolveUsername): Api.contacts.ResolvedPeer {
    const user = this.env.world.userByUsername(request.username);
    if (!user) throw new FakeRpcError(400, 'USERNAME_NOT_OCCUPIED');
    return this.resolved(viewerId, user);
  }

  private resolvePhone(viewerId: number, request: Api.contacts.ResolvePhone): Api.contacts.ResolvedPeer {
    const user = this.env.world.userByPhone(request.phone);
    if (!user) throw new FakeRpcError(400, 'PHONE_NOT_OCCUPIED');
    return this.resolved(viewerId, user);
  }

  private getContacts(viewerId: number): Api.contacts.Contacts {
    const contacts = this.env.world.contactsOf(viewerId);
    return new Api.contacts.Contacts({
      contacts: contacts.map((user) => new Api.Contact({ userId: returnBigInt(user.id), mutual: false })),
      savedCount: 0,
      users: contacts.map((user) => this.env.world.tlUser(user, viewerId)),
    });
  }

  private sendMessage(userId: number, request: Api.messages.SendMessage): Api.UpdateShortSentMessage {
    const to = this.env.world.resolveUser(userId, request.peer);
    if (!request.message) throw new FakeRpcError(400, 'MESSAGE_EMPTY');
    if (!request.randomId) throw new FakeRpcError(400, 'RANDOM_ID_EMPTY');
    const sent = this.env.world.send(userId, to.id, request.randomId.toString(), request.message);
    return new Api.UpdateShortSentMessage({ out: true, id: sent.id, pts: sent.pts, ptsCount: 1, date: sent.date });
  }

  private logOut(context: RpcContext): Api.auth.LoggedOut {
    context.authKey.userId = undefined;
    return new Api.auth.LoggedOut({});
  }
}
