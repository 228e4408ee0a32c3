import type { Person } from '../messenger-session';

/** The account itself on the simulated network: the sender of what its phone or client writes. */
export function sandboxAccountPerson(accountId: string, phone: string | null = null): Person & { name: string } {
  return { id: `sandbox:${accountId}`, name: 'Sandbox User', phone };
}
