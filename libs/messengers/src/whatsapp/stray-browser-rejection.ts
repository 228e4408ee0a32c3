/**
 * Rejections whatsapp-web.js leaves behind once its browser is gone: page calls still in flight
 * when `destroy()` (ours, or the library's own after UNPAIRED, CONFLICT or too many QR codes)
 * closes the browser, and `initialize()` or its re-wiring after a LOGOUT losing the page under
 * it. They carry no news (the client is already closed or reported as disconnected), so a
 * process-wide `unhandledRejection` handler may log them quietly instead of as errors.
 */
const STRAY_MESSAGES = [
  /Target closed/,
  /Session closed/,
  /Execution context was destroyed/,
  /Navigating frame was detached/,
  /Connection closed/,
  /Protocol error .*(Target|Session) closed/,
  /Attempted to use detached Frame/,
];

export function isStrayBrowserRejection(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  return STRAY_MESSAGES.some((pattern) => pattern.test(reason.message));
}
