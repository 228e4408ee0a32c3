import { FloodWaitError, RPCError } from 'telegram/errors';
import { Api } from 'telegram';
import { toTelegramCallError } from './telegram-call-error';

describe('toTelegramCallError', () => {
  const request = new Api.updates.GetState();

  it('keeps the seconds of a FLOOD_WAIT', () => {
    const error = toTelegramCallError(new FloodWaitError({ request, capture: 7 }), 'messages.SendMessage');
    expect(error).toMatchObject({ kind: 'flood_wait', seconds: 7, method: 'messages.SendMessage', errorMessage: 'FLOOD_WAIT_7' });
  });

  it.each(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'AUTH_KEY_DUPLICATED'])('%s means logged out', (message) => {
    expect(toTelegramCallError(new RPCError(message, request, 401), 'updates.GetState')).toMatchObject({ kind: 'logged_out', errorMessage: message, code: 401 });
  });

  it('names any other RPC error and any other failure', () => {
    expect(toTelegramCallError(new RPCError('PEER_ID_INVALID', request, 400), 'messages.SendMessage')).toMatchObject({ kind: 'rpc', errorMessage: 'PEER_ID_INVALID' });
    expect(toTelegramCallError(new Error('socket closed'), 'connect')).toMatchObject({ kind: 'rpc', errorMessage: 'socket closed' });
  });
});
