import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type { AuthKeyRecord, AuthKeyRegistry } from './auth-key-registry';
import { FakeRpcError, authKeyUnregistered } from './fake-rpc-error';
import { fakeConfig } from './fake-config';
import { LoginHandlers } from './login-handlers';
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

type Handler = (context: RpcContext, request: never) => Promise<unknown> | unknown;

/**
 * The methods the fake serves, by TL class name. Anything not listed here is refused with
 * `FAKE_METHOD_NOT_IMPLEMENTED` by the caller: the fake never answers with something plausible.
 */
export class RpcHandlers {
  /** Phone, 2FA and QR login: the state of logins in progress, and the driver's side of them. */
  readonly login: LoginHandlers;

  constructor(private readonly env: RpcEnvironment) {
    this.login = new LoginHandlers(env);
  }

  /** Methods that work before the key is logged in; every other one needs an authorized key. */
  private readonly anonymous: Record<string, Handler> = {
    'help.GetConfig': (context) => fakeConfig(context.dcId, this.env.dcAddresses),
    'help.GetNearestDc': (context) => new Api.NearestDc({ country: 'ZZ', thisDc: context.dcId, nearestDc: context.dcId }),
    'auth.SendCode': (context, request: Api.auth.SendCode) => this.login.sendCode(context, request),
    'auth.SignIn': (context, request: Api.auth.SignIn) => this.login.signIn(context, request),
    'account.GetPassword': (context) => this.login.getPassword(context),
    'auth.CheckPassword': (context, request: Api.auth.CheckPassword) => this.login.checkPassword(context, request),
    'auth.ExportLoginToken': (context, request: Api.auth.ExportLoginToken) => this.login.exportLoginToken(context, request),
    'auth.ImportLoginToken': (context, request: Api.auth.ImportLoginToken) => this.login.importLoginToken(context, request),
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
