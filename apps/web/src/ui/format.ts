import type { Account, Chat, Person } from '../api/api-types';

export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  const today = new Date();
  return at.toDateString() === today.toDateString()
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

export function chatTitle(chat: Chat): string {
  return chat.title || chat.phone || chat.externalId;
}

export function personName(person: Person | null | undefined): string {
  return person?.name || person?.phone || person?.id || '';
}

export function profileLine(account: Account): string {
  const p = account.profile;
  if (!p) return '';
  return [p.name, p.phone, p.username ? `@${p.username.replace(/^@/, '')}` : null].filter(Boolean).join(' · ');
}

export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A File as base64 without its data: prefix, for the send body. */
export function fileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
