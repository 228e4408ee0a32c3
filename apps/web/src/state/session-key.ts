// The signed-in key lives for the browser session only (sessionStorage); signing out forgets it.
const STORAGE_KEY = 'switchboard.key';

export type Role = 'tenant' | 'admin';

export interface SessionKey {
  key: string;
  role: Role;
}

export function loadSessionKey(): SessionKey | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as SessionKey) : null;
  } catch {
    return null;
  }
}

export function saveSessionKey(session: SessionKey): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function forgetSessionKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
