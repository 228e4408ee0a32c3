import { PromisedNetSockets } from 'telegram/extensions';

/**
 * gramjs dials port 80 for the main connection and 443 for the others, whatever the session or
 * `help.getConfig` say. A self-hosted MTProto server on another port needs every dial redirected.
 */
export function fixedPortSocket(port: number): typeof PromisedNetSockets {
  return class FixedPortSocket extends PromisedNetSockets {
    override connect(_port: number, ip: string): Promise<unknown> {
      return super.connect(port, ip);
    }
  };
}
