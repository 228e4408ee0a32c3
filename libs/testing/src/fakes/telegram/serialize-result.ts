const VECTOR = 0x1cb5c415;
const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value >>> 0, 0);
  return buffer;
}

/** TL bytes of an RPC result: an object, a Bool, or a vector of objects (e.g. `Vector<User>`). */
export function serializeResult(value: unknown): Buffer {
  if (typeof value === 'boolean') return int32(value ? BOOL_TRUE : BOOL_FALSE);
  if (Array.isArray(value)) return Buffer.concat([int32(VECTOR), int32(value.length), ...value.map(serializeResult)]);
  if (value && typeof (value as { getBytes?: unknown }).getBytes === 'function') return (value as { getBytes(): Buffer }).getBytes();
  throw new Error(`cannot serialize an RPC result of type ${typeof value}`);
}
