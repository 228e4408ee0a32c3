/**
 * Flags every Chromium of ours gets: `--no-sandbox` because workers run as root in containers;
 * the rest keep a headless browser from phoning home, updating itself or showing first-run UI.
 */
export const CHROMIUM_ROOT_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/**
 * A switch Chromium ignores, put on the browser's command line so that a later worker can tell
 * which session a browser served and whether the process that launched it is still alive.
 */
export const BROWSER_MARKER_SWITCH = '--switchboard-browser';

export interface BrowserMarker {
  /** What the browser serves, e.g. `whatsapp.<accountId>`: letters, digits, `.`, `_`, `-`. */
  session: string;
  /** The process that launched (and must close) the browser. */
  ownerPid: number;
}

const SESSION_PATTERN = /^[\w.-]+$/;

export function formatBrowserMarker({ session, ownerPid }: BrowserMarker): string {
  if (!SESSION_PATTERN.test(session)) throw new Error(`browser marker session must match ${SESSION_PATTERN}: ${JSON.stringify(session)}`);
  return `${BROWSER_MARKER_SWITCH}=${session}:${ownerPid}`;
}

/** The marker on a command line, or undefined for browsers we did not mark. */
export function parseBrowserMarker(args: readonly string[]): BrowserMarker | undefined {
  const prefix = `${BROWSER_MARKER_SWITCH}=`;
  const value = args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  const match = value === undefined ? null : /^([\w.-]+):(\d+)$/.exec(value);
  return match ? { session: match[1], ownerPid: Number(match[2]) } : undefined;
}

/** Our flags, the marker, then the operator's extra flags (last, so they can override ours). */
export function chromiumLaunchArgs(marker: BrowserMarker, extraArgs: readonly string[] = []): string[] {
  return [...CHROMIUM_ROOT_FLAGS, formatBrowserMarker(marker), ...extraArgs];
}
