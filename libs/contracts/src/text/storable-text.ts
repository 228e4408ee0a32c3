/**
 * Text PostgreSQL can store: it refuses NUL in `text` columns, and a UTF-16 surrogate without
 * its pair has no UTF-8 form. Our API refuses such text (400 naming the field); text from a
 * network is made storable instead (see `storableText`), because a network cannot be told no.
 */
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** U+FFFD, what decoders put in place of what they cannot represent. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates';

/** Why `value` cannot be stored as is, or null when it can. */
export function unstorableReason(value: string): string | null {
  NUL.lastIndex = 0;
  LONE_SURROGATE.lastIndex = 0;
  if (NUL.test(value)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

export const isStorableText = (value: string): boolean => unstorableReason(value) === null;

export interface StorableText {
  text: string;
  /** What was changed, in words (empty when the text was already storable). */
  changes: string[];
}

/**
 * Makes network text storable: NUL characters and unpaired surrogates become U+FFFD, and text
 * longer than `maxLength` UTF-16 units is cut there (never inside a surrogate pair). Each kind
 * of change is reported once, with how often it happened.
 */
export function storableText(value: string, maxLength: number): StorableText {
  const changes: string[] = [];
  let text = value;
  const nuls = text.match(NUL)?.length ?? 0;
  if (nuls > 0) {
    text = text.replace(NUL, REPLACEMENT_CHARACTER);
    changes.push(`replaced ${nuls} NUL character${nuls === 1 ? '' : 's'}`);
  }
  const lone = text.match(LONE_SURROGATE)?.length ?? 0;
  if (lone > 0) {
    text = text.replace(LONE_SURROGATE, REPLACEMENT_CHARACTER);
    changes.push(`replaced ${lone} unpaired surrogate${lone === 1 ? '' : 's'}`);
  }
  if (text.length > maxLength) {
    const originalLength = text.length;
    let end = maxLength;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    text = text.slice(0, end);
    changes.push(`cut ${originalLength} characters to ${text.length}`);
  }
  return { text, changes };
}
