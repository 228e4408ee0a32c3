import { createHash } from 'node:crypto';
import { readBigIntFromBuffer } from 'telegram/Helpers';
import type bigInt from 'big-integer';

/**
 * The `random_id` of a send, derived from our message id: Telegram answers a repeated random_id
 * (in the same chat) with the first message, so a retried or re-owned send is delivered once.
 */
export function randomIdFor(messageId: string): bigInt.BigInteger {
  return readBigIntFromBuffer(createHash('sha256').update(`switchboard:${messageId}`).digest().subarray(0, 8), true, true);
}
