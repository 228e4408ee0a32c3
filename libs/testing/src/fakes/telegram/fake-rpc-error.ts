/** An RPC error the fake answers with (`rpc_error#2144ca19 error_code:int error_message:string`). */
export class FakeRpcError extends Error {
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(`${code} ${errorMessage}`);
  }
}

export const authKeyUnregistered = () => new FakeRpcError(401, 'AUTH_KEY_UNREGISTERED');
