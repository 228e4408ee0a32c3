// The fake "WhatsApp Web" app: runs inside Chromium at https://web.whatsapp.com, served by
// whatsapp-web.js's own webVersionCache. It offers `window.require(<WA module id>)` over the
// modules the pinned library uses, and nothing else: any other module or member throws an Error
// naming it and reports it to the driver, so a gap is never papered over with a plausible value.
// The driver (Node, FakeWhatsAppWeb) sends commands over Server-Sent Events and receives reports
// and results by POST. The driver fills in the config at the end: {driverUrl, version, messageKey}.
(function fakeWhatsAppWeb(config) {
  'use strict';

  const pageId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const DEVICE_KEY = 'fake-whatsapp-web:device';
  // WhatsApp Web renamed MsgKey's cached `_serialized` to `$1` in July 2026 (WAWebWid kept it).
  const KEY_FIELD = config.messageKey === '$1' ? '$1' : '_serialized';
  // Looked up by engines and serializers on any object; absent members read as undefined.
  const PASS_THROUGH = new Set(['then', 'toJSON', 'constructor', 'prototype', 'asymmetricMatch', 'nodeType', '$$typeof', 'length', 'name']);

  // ---------------------------------------------------------------- driver transport
  // Reports wait for the driver's command stream to open: the driver knows a page from then on.
  let driverOpened;
  const driverReady = new Promise((resolve) => {
    driverOpened = resolve;
  });

  function post(path, body) {
    return driverReady.then(() => fetch(config.driverUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ pageId, ...body }),
    })).then((response) => {
      if (!response.ok) throw new Error(`driver answered ${response.status} to ${path}`);
    });
  }
  const report = (type, data) => post('/report', { type, data }).catch(() => undefined);

  function fail(name) {
    report('missing', { name });
    return new Error(`The fake WhatsApp Web does not implement ${name}`);
  }

  function strict(label, target) {
    return new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'symbol' || key in object || PASS_THROUGH.has(key)) return Reflect.get(object, key, receiver);
        throw fail(`${label}.${key}`);
      },
    });
  }

  function errorText(error) {
    return error && error.stack ? String(error.stack) : String(error);
  }

  // ---------------------------------------------------------------- a small Backbone
  class Evented {
    constructor() {
      Object.defineProperty(this, '_listeners', { value: new Map(), enumerable: false });
      Object.defineProperty(this, '_listenWaiters', { value: new Map(), enumerable: false });
    }
    on(names, fn, context) {
      for (const name of names.split(/\s+/).filter(Boolean)) {
        if (!this._listeners.has(name)) this._listeners.set(name, []);
        this._listeners.get(name).push({ fn, context, once: false });
        for (const resolve of this._listenWaiters.get(name) || []) resolve();
        this._listenWaiters.delete(name);
      }
      return this;
    }
    once(names, fn, context) {
      this.on(names, fn, context);
      for (const name of names.split(/\s+/).filter(Boolean)) this._listeners.get(name).at(-1).once = true;
      return this;
    }
    off(names, fn) {
      if (!names) {
        this._listeners.clear();
        return this;
      }
      for (const name of names.split(/\s+/).filter(Boolean)) {
        const kept = (this._listeners.get(name) || []).filter((listener) => fn && listener.fn !== fn);
        this._listeners.set(name, kept);
      }
      return this;
    }
    /** Resolves once someone listens for `name` (the library subscribes late; events before would be lost). */
    whenListened(name) {
      if ((this._listeners.get(name) || []).length > 0) return Promise.resolve();
      return new Promise((resolve) => {
        if (!this._listenWaiters.has(name)) this._listenWaiters.set(name, []);
        this._listenWaiters.get(name).push(resolve);
      });
    }
    trigger(name, ...args) {
      const listeners = [...(this._listeners.get(name) || [])];
      const errors = [];
      for (const listener of listeners) {
        if (listener.once) this.off(name, listener.fn);
        try {
          const result = listener.fn.apply(listener.context || this, args);
          if (result && typeof result.catch === 'function') result.catch((error) => report('error', { where: name, error: errorText(error) }));
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
      return this;
    }
  }

  class Model extends Evented {
    constructor(attributes) {
      super();
      Object.defineProperty(this, 'collection', { value: undefined, enumerable: false, writable: true });
      Object.assign(this, attributes);
    }
    set(key, value) {
      const previous = this[key];
      if (previous === value) return this;
      this[key] = value;
      for (const target of [this, this.collection].filter(Boolean)) target.trigger(`change:${key}`, this, value, previous);
      for (const target of [this, this.collection].filter(Boolean)) target.trigger('change', this);
      return this;
    }
    serialize() {
      return toPlain({ ...this });
    }
    toJSON() {
      return this.serialize();
    }
  }

  class Collection extends Evented {
    constructor(label, modelClass, { owning = true } = {}) {
      super();
      this.label = label;
      this.modelClass = modelClass;
      // A model's events bubble to its owning collection only (a chat's msgs list only indexes).
      Object.defineProperty(this, 'owning', { value: owning, enumerable: false });
      // Enumerable on purpose: the library finds WAWebCallCollection's Map by Object.keys.
      this._index = new Map();
    }
    get length() {
      return this._index.size;
    }
    add(model) {
      if (this.owning) model.collection = this;
      this._index.set(String(model.id), model);
      this.trigger('add', model, this);
      return model;
    }
    remove(model) {
      this._index.delete(String(model.id));
      this.trigger('remove', model, this);
    }
    get(id) {
      if (id === undefined || id === null) return undefined;
      return this._index.get(typeof id === 'string' ? id : String(id));
    }
    getModelsArray() {
      return [...this._index.values()];
    }
    async find(id) {
      const model = this.get(id);
      if (!model) throw new Error(`${this.label} ${String(id)} not found`);
      return model;
    }
    async getMessagesById(ids) {
      return { messages: ids.map((id) => this.get(id)).filter(Boolean) };
    }
    async update() {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- ids
  class Wid {
    constructor(serialized) {
      const match = /^([^@\s]+)@(c\.us|g\.us|lid|broadcast|newsletter|s\.whatsapp\.net)$/.exec(serialized);
      if (!match) throw new Error(`invalid wid: ${serialized}`);
      this.server = match[2] === 's.whatsapp.net' ? 'c.us' : match[2];
      this.user = match[1];
      this._serialized = `${this.user}@${this.server}`;
    }
    toString() {
      return this._serialized;
    }
    toJid() {
      return this.server === 'c.us' ? `${this.user}@s.whatsapp.net` : this._serialized;
    }
    equals(other) {
      return Boolean(other) && String(other) === this._serialized;
    }
    isUser() {
      return this.server === 'c.us' || this.server === 'lid';
    }
    isLid() {
      return this.server === 'lid';
    }
    isGroup() {
      return this.server === 'g.us';
    }
    isStatus() {
      return this.user === 'status' && this.server === 'broadcast';
    }
    isBroadcast() {
      return this.server === 'broadcast';
    }
    isNewsletter() {
      return this.server === 'newsletter';
    }
  }
  // Not a strict proxy: ids travel back to Node by value, and Chromium returns a Proxy as `{}`.
  const wid = (value) => new Wid(value);

  function createWid(value) {
    if (typeof value === 'string') return wid(value);
    if (value && typeof value._serialized === 'string') return wid(value._serialized);
    if (value && typeof value.user === 'string' && typeof value.server === 'string') return wid(`${value.user}@${value.server}`);
    throw new Error(`createWid: not a wid: ${JSON.stringify(value)}`);
  }

  function randomHex(bytes) {
    return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  }

  class MsgKey {
    constructor({ fromMe, remote, from, to, id, participant, selfDir }) {
      this.fromMe = fromMe !== undefined ? Boolean(fromMe) : selfDir === 'out';
      this.remote = createWid(remote || (this.fromMe ? to : from));
      this.id = id;
      this.participant = participant ? createWid(participant) : undefined;
      const text = `${this.fromMe}_${this.remote._serialized}_${id}${this.participant ? `_${this.participant._serialized}` : ''}`;
      Object.defineProperty(this, '_text', { value: text, enumerable: false });
      this[KEY_FIELD] = text;
    }
    toString() {
      return this._text;
    }
    equals(other) {
      return Boolean(other) && String(other) === this._text;
    }
    static newId() {
      return `3EB0${randomHex(9)}`;
    }
  }

  /** What puppeteer hands back to Node: ids as plain {server, user, _serialized} / key objects. */
  function toPlain(value) {
    if (value instanceof Wid) return { server: value.server, user: value.user, _serialized: value._serialized };
    if (value instanceof MsgKey) return { ...value, remote: toPlain(value.remote), participant: toPlain(value.participant) };
    if (Array.isArray(value)) return value.map(toPlain);
    if (value instanceof Model) return value.serialize();
    if (value && Object.getPrototypeOf(value) === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
    return value;
  }

  // ---------------------------------------------------------------- models
  const MSG_DEFAULTS = {
    body: undefined,
    caption: undefined,
    type: 'chat',
    subtype: undefined,
    t: 0,
    ack: 0,
    from: undefined,
    to: undefined,
    author: undefined,
    isNewMsg: true,
    local: false,
    self: 'in',
    star: false,
    broadcast: false,
    isForwarded: false,
    mediaObject: undefined,
    directPath: undefined,
    isEphemeral: false,
    isStatusV3: false,
    quotedMsg: undefined,
    latestEditSenderTimestampMs: undefined,
    mediaData: undefined,
    mediaKey: undefined,
    mediaKeyTimestamp: undefined,
    mimetype: undefined,
    filename: undefined,
    size: undefined,
    filehash: undefined,
    encFilehash: undefined,
  };
  class Msg extends Model {
    constructor(attributes) {
      super({ ...MSG_DEFAULTS, ...attributes });
    }
    /** Media the fake holds is always resolved: nothing to fetch first. */
    async downloadMedia() {
      if (this.mediaData) this.mediaData.mediaStage = 'RESOLVED';
    }
    serialize() {
      return toPlain({ ...this });
    }
  }
  const newMsg = (attributes) => strict('Msg', new Msg(attributes));

  class GroupMetadata extends Model {
    serialize() {
      return toPlain({
        id: this.id,
        subject: this.subject,
        owner: this.owner,
        creation: this.creation,
        announce: this.announce,
        participants: this.participants,
      });
    }
  }

  class Chat extends Model {
    constructor(attributes) {
      super({
        name: undefined,
        t: 0,
        unreadCount: 0,
        archive: false,
        isReadOnly: false,
        pin: 0,
        mute: { expiration: 0 },
        lastReceivedKey: undefined,
        groupMetadata: undefined,
        newsletterMetadata: undefined,
        ...attributes,
      });
      Object.defineProperty(this, 'msgs', { value: new Collection('ChatMsgs', Msg, { owning: false }), enumerable: false });
    }
    get formattedTitle() {
      return this.name || this.id.user;
    }
    serialize() {
      return toPlain({
        id: this.id,
        name: this.name,
        t: this.t,
        unreadCount: this.unreadCount,
        archive: this.archive,
        isReadOnly: this.isReadOnly,
        pin: this.pin,
        muteExpiration: this.mute.expiration,
        lastReceivedKey: this.lastReceivedKey,
        msgs: this.msgs.getModelsArray(),
      });
    }
  }
  const newChat = (attributes) => strict('Chat', new Chat(attributes));

  // ---------------------------------------------------------------- the app (rebuilt on "reload")
  function storedDevice() {
    try {
      return JSON.parse(localStorage.getItem(DEVICE_KEY) || 'null');
    } catch {
      return null;
    }
  }

  function base64(bytes) {
    return btoa(String.fromCharCode(...bytes));
  }

  let app;

  function bootApp() {
    const device = storedDevice();
    const Socket = strict('Socket', new Model({ state: device ? 'OPENING' : 'UNPAIRED', hasSynced: false }));
    const Conn = strict('Conn', new Model({ ref: `2@${randomHex(16)}`, platform: device ? 'android' : undefined, pushname: device ? device.pushname : undefined }));
    const Cmd = strict('Cmd', new Evented());
    const collections = {
      Msg: strict('WAWebCollections.Msg', new Collection('Msg', Msg)),
      Chat: strict('WAWebCollections.Chat', new Collection('Chat', Chat)),
      Contact: strict('WAWebCollections.Contact', new Collection('Contact', Model)),
      GroupMetadata: strict('WAWebCollections.GroupMetadata', new Collection('GroupMetadata', GroupMetadata)),
    };
    const Calls = strict('WAWebCallCollection', new Collection('Call', Model));
    const keys = {
      noise: crypto.getRandomValues(new Uint8Array(32)),
      identity: crypto.getRandomValues(new Uint8Array(32)),
      adv: base64(crypto.getRandomValues(new Uint8Array(32))),
    };
    const state = { device, pairingCode: null, lid: device ? device.lid : null };
    /** Media bytes by direct path: what WhatsApp's media servers would answer. */
    const mediaByPath = new Map();
    /** The reaction table the library wraps (injectToFunction) to see reactions. */
    const reactionTableMode = { bulkUpsert: async (rows) => rows };

    Object.assign(Socket, {
      logout: async () => {
        report('logout', {});
        localStorage.removeItem(DEVICE_KEY);
      },
      takeover: () => {
        Socket.set('state', 'CONNECTED');
      },
    });
    Object.assign(Cmd, {
      refreshQR: () => Conn.set('ref', `2@${randomHex(16)}`),
    });
    Object.assign(Conn, {
      serialize: () => ({ ref: Conn.ref, platform: Conn.platform, pushname: Conn.pushname, connected: Socket.state === 'CONNECTED' }),
    });

    const meUser = () => (state.device ? wid(`${state.device.phone}@c.us`) : null);
    const meLid = () => (state.device ? wid(`${state.device.lid}@lid`) : null);

    function pair(profile) {
      if (state.device) throw new Error('this page is already paired');
      const phone = String(profile.phone).replace(/\D/g, '');
      state.device = { phone, pushname: profile.pushname || 'Fake User', lid: profile.lid || String(Math.floor(Math.random() * 1e14)) };
      localStorage.setItem(DEVICE_KEY, JSON.stringify(state.device));
      Conn.platform = 'android';
      Conn.pushname = state.device.pushname;
      goOnline();
      return { phone, lid: state.device.lid };
    }

    /** Connected as this device: the network replaces any other client running the same device. */
    function goOnline() {
      Socket.set('state', 'CONNECTED');
      report('online', { device: state.device });
      syncWhenListened();
    }

    function syncWhenListened() {
      Socket.whenListened('change:hasSynced').then(() => Socket.set('hasSynced', true));
    }

    function chatFor(chatId, attributes) {
      const id = createWid(chatId);
      let chat = collections.Chat.get(id);
      if (!chat) chat = collections.Chat.add(newChat({ id, ...attributes }));
      return chat;
    }

    const modules = {
      WAWebSocketModel: { Socket },
      WAWebCmd: { Cmd },
      WAWebConnModel: { Conn },
      WAWebOfflineHandler: { OfflineMessageHandler: { getOfflineDeliveryProgress: () => 100 } },
      WAWebAltDeviceLinkingApi: {
        setPairingType: () => undefined,
        initializeAltDeviceLinking: async () => undefined,
        startAltLinkingFlow: async (phoneNumber) => {
          state.pairingCode = { phone: String(phoneNumber), code: randomHex(4) };
          report('pairingCode', state.pairingCode);
          return state.pairingCode.code;
        },
      },
      WABase64: { encodeB64: (bytes) => base64(bytes) },
      WAWebCompanionRegClientUtils: { DEVICE_PLATFORM: 'Chrome' },
      WAWebAdvSignatureApi: {},
      WAWebUserPrefsInfoStore: {},
      WAWebSignalStoreApi: {
        waSignalStore: { getRegistrationInfo: async () => ({ identityKeyPair: { pubKey: keys.identity } }) },
        waNoiseInfo: { get: async () => ({ staticKeyPair: { pubKey: keys.noise } }) },
      },
      WAWebUserPrefsMultiDevice: { getADVSecretKey: () => keys.adv },
      WAWebUserPrefsMeUser: { getMaybeMePnUser: meUser, getMaybeMeLidUser: meLid },
      WAWebMiscBrowserUtils: { info: () => ({ os: 'Linux', name: 'Chrome', version: '156' }) },
      WAWebCollections: collections,
      WAWebCallCollection: Calls,
      WAWebSyncGatingUtils: { isPlaceholderMessageResendEnabled: () => false },
      WAWebWidFactory: {
        createWid,
        createWidFromWidLike: createWid,
        asUserWidOrThrow: (value) => {
          const result = createWid(value);
          if (!result.isUser()) throw new Error(`not a user wid: ${result}`);
          return result;
        },
      },
      WALinkify: {
        findLink: (text) => findLinks(text)[0] || null,
        findLinks,
      },
      WAWebChatGetters: {
        getIsNewsletter: (chat) => chat.id.isNewsletter(),
        getIsBroadcast: (chat) => chat.id.isBroadcast(),
      },
      WAWebFindChatAction: {
        findOrCreateLatestChat: async (chatWid) => {
          const id = createWid(chatWid);
          if (!id.isUser()) throw new Error(`findOrCreateLatestChat: no chat ${id} on this account`);
          return { chat: chatFor(id) };
        },
      },
      WAWebStreamModel: { Stream: { markAvailable: () => undefined, markUnavailable: () => undefined } },
      WAWebUpdateUnreadChatAction: {
        sendSeen: async ({ chat }) => {
          report('seen', { chatId: chat.id._serialized });
          chat.set('unreadCount', 0);
        },
      },
      WAWebMsgKey: MsgKey,
      WAWebDownloadManager: {
        downloadManager: {
          downloadAndMaybeDecrypt: async ({ directPath }) => {
            const bytes = mediaByPath.get(directPath);
            if (!bytes) throw Object.assign(new Error(`no media at ${directPath}`), { status: 404 });
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
          },
        },
      },
      WAWebAddonReactionTableMode: { reactionTableMode },
      WAWebGetEphemeralFieldsMsgActionsUtils: { getEphemeralFields: () => ({}) },
      WAWebLidMigrationUtils: { toPn: (value) => (createWid(value).isLid() ? null : toPlain(createWid(value))) },
      WAWebSendMsgChatAction: {
        addAndSendMsgToChat: (chat, attributes) => {
          const msg = newMsg({ ...attributes });
          // The network takes the message before it shows in the chat: by the time the library's
          // sendMessage returns, the driver has counted the delivery.
          const accepted = post('/report', {
            type: 'send',
            data: { id: String(msg.id), to: chat.id._serialized, type: msg.type, body: msg.body, t: msg.t },
          });
          const added = accepted.then(() => {
            collections.Msg.add(msg);
            chat.msgs.add(msg);
            chat.set('t', msg.t);
            return msg;
          });
          return [added, added.then(() => ({ messageSendResult: 'OK' }))];
        },
      },
    };

    /** A contact (or a group member) sends something to the account. */
    function deliver({ from, group, author, t }, content) {
      if (Socket.state !== 'CONNECTED' || !Socket.hasSynced) throw new Error(`cannot deliver: the socket is ${Socket.state}`);
      const chat = group
        ? chatFor(group.id, {
            name: group.subject,
            groupMetadata: new GroupMetadata({
              id: createWid(group.id),
              subject: group.subject,
              owner: createWid(author),
              creation: 0,
              announce: false,
              participants: [author, ...(group.members || [])].map((member) => ({ id: createWid(member), isAdmin: false, isSuperAdmin: false })),
            }),
          })
        : chatFor(from);
      const id = new MsgKey({ fromMe: false, remote: chat.id, id: MsgKey.newId(), participant: group ? author : undefined });
      const msg = newMsg({
        ...content,
        id,
        t: t || Math.floor(Date.now() / 1000),
        from: chat.id,
        to: meUser(),
        author: group ? createWid(author) : undefined,
        ack: 1,
        self: 'in',
      });
      collections.Msg.add(msg);
      chat.msgs.add(msg);
      chat.lastReceivedKey = id;
      chat.set('t', msg.t);
      chat.set('unreadCount', chat.unreadCount + 1);
      return { id: String(id), chatId: chat.id._serialized };
    }

    function findLinks(text) {
      if (typeof text !== 'string') return [];
      return [...text.matchAll(/\bhttps?:\/\/[^\s]+/g)].map((match) => ({ href: match[0], url: match[0], suspiciousCharacters: undefined }));
    }

    const table = new Map(Object.entries(modules).map(([id, module]) => [id, strict(id, module)]));

    // ------------------------------------------------------------ what the phone and the contacts do
    const commands = {
      state: () => ({
        socket: Socket.state,
        hasSynced: Socket.hasSynced,
        device: state.device,
        ref: Conn.ref,
        pairingCode: state.pairingCode,
        // The library's inject() subscribes to this last: once set, it is done wiring this page.
        libraryWired: (Cmd._listeners.get('logout_from_bridge') || []).length > 0,
      }),
      rotateQr: () => {
        if (state.device) throw new Error('no QR on a paired page');
        Cmd.refreshQR();
        return Conn.ref;
      },
      scan: (profile) => {
        if (Socket.state !== 'UNPAIRED' && Socket.state !== 'UNPAIRED_IDLE') throw new Error(`no QR to scan: the socket is ${Socket.state}`);
        return pair(profile);
      },
      enterPairingCode: (profile) => {
        if (!state.pairingCode) throw new Error('no pairing code was requested');
        return pair({ ...profile, phone: state.pairingCode.phone });
      },
      receiveMessage: (message) => deliver(message, { type: 'chat', body: message.body }),
      receiveMedia: (message) => {
        const bytes = Uint8Array.from(atob(message.data), (c) => c.charCodeAt(0));
        const directPath = `/v/t62.7118-24/${randomHex(12)}.enc`;
        mediaByPath.set(directPath, bytes);
        const kind = message.mimetype.split('/')[0];
        return deliver(message, {
          type: ['image', 'video', 'audio'].includes(kind) ? kind : 'document',
          caption: message.caption,
          body: undefined,
          directPath,
          mediaKey: base64(crypto.getRandomValues(new Uint8Array(32))),
          mediaKeyTimestamp: Math.floor(Date.now() / 1000),
          mimetype: message.mimetype,
          filename: message.filename,
          size: bytes.byteLength,
          filehash: base64(crypto.getRandomValues(new Uint8Array(32))),
          encFilehash: base64(crypto.getRandomValues(new Uint8Array(32))),
          mediaData: { mediaStage: 'RESOLVED' },
          mediaObject: { type: kind },
        });
      },
      // A contact reacts to a message (an empty emoji takes the reaction back).
      react: ({ id, emoji, from }) => {
        const parent = collections.Msg.get(id);
        if (!parent) throw new Error(`no message ${id}`);
        const sender = createWid(from);
        const inGroup = parent.id.remote.isGroup();
        const key = new MsgKey({ fromMe: false, remote: parent.id.remote, id: MsgKey.newId(), participant: inGroup ? sender : undefined });
        // Called through the module, so the library's wrapper (injectToFunction) sees it.
        modules.WAWebAddonReactionTableMode.reactionTableMode.bulkUpsert([
          {
            id: key,
            reactionParentKey: parent.id,
            reactionText: emoji,
            reactionTimestamp: Date.now(),
            author: inGroup ? sender : undefined,
            from: sender,
            orphan: 0,
            read: false,
            ack: 1,
          },
        ]);
        return { id: String(key) };
      },
      // The account's owner writes from the phone: the library sees our own message appear.
      sendFromPhone: ({ to, body, t }) => {
        if (Socket.state !== 'CONNECTED' || !Socket.hasSynced) throw new Error(`cannot deliver: the socket is ${Socket.state}`);
        const chat = chatFor(to);
        const id = new MsgKey({ fromMe: true, remote: chat.id, id: MsgKey.newId() });
        const msg = newMsg({ id, body, type: 'chat', t: t || Math.floor(Date.now() / 1000), from: meUser(), to: chat.id, ack: 1, self: 'out' });
        collections.Msg.add(msg);
        chat.msgs.add(msg);
        chat.set('t', msg.t);
        return { id: String(id), chatId: chat.id._serialized };
      },
      edit: ({ id, body }) => {
        const msg = collections.Msg.get(id);
        if (!msg) throw new Error(`no message ${id}`);
        msg.latestEditSenderTimestampMs = Date.now();
        msg.set('body', body);
        return null;
      },
      // Deleted for everyone: the message turns into a tombstone.
      revoke: ({ id }) => {
        const msg = collections.Msg.get(id);
        if (!msg) throw new Error(`no message ${id}`);
        msg.set('type', 'revoked');
        msg.set('body', '');
        return null;
      },
      ack: ({ id, ack }) => {
        const msg = collections.Msg.get(id);
        if (!msg) throw new Error(`no message ${id}`);
        msg.set('ack', ack);
        return ack;
      },
      // The library closes the browser on these states: answer the driver first.
      unpair: () =>
        answerThen(null, () => {
          localStorage.removeItem(DEVICE_KEY);
          state.device = null;
          Socket.set('state', 'UNPAIRED');
        }),
      conflict: () => answerThen(null, () => Socket.set('state', 'CONFLICT')),
      // Logged out from the phone: WhatsApp Web reloads at /?post_logout=1. The fake cannot really
      // reload (the library's interception answers only https://web.whatsapp.com/), so it drops
      // everything a reload drops and then changes the URL, which the library sees as a navigation.
      logOut: () => {
        localStorage.removeItem(DEVICE_KEY);
        delete window.WWebJS;
        delete window.AuthStore;
        if (window.codeInterval) clearInterval(window.codeInterval);
        delete window.codeInterval;
        app = bootApp();
        history.pushState(null, '', '/?post_logout=1');
      },
    };

    if (device) {
      // A restored session: opening, then connected, then synced once the library listens.
      setTimeout(goOnline, 0);
    }
    return { table, commands };
  }

  /** A command result whose action runs once the driver has the answer. */
  const AFTER_ANSWER = Symbol('after answer');
  function answerThen(value, action) {
    return { [AFTER_ANSWER]: action, value };
  }

  app = bootApp();

  window.Debug = { VERSION: config.version };
  window.require = function require(id) {
    const module = app.table.get(id);
    if (!module) throw fail(`module ${id}`);
    return module;
  };

  const source = new EventSource(`${config.driverUrl}/commands?page=${encodeURIComponent(pageId)}`);
  source.onopen = () => driverOpened();
  source.onmessage = async (event) => {
    const { id, name, args } = JSON.parse(event.data);
    try {
      const command = app.commands[name];
      if (!command) throw new Error(`unknown driver command ${name}`);
      const result = await command(...args);
      const deferred = result && result[AFTER_ANSWER];
      const value = deferred ? result.value : result;
      await post('/result', { id, ok: true, value: value === undefined ? null : value });
      if (deferred) deferred();
    } catch (error) {
      await post('/result', { id, ok: false, error: errorText(error) }).catch(() => undefined);
    }
  };
})(__FAKE_CONFIG__);
