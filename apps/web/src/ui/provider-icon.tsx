import type { Provider } from '../api/api-types';

const ICONS: Record<Provider, { letter: string; label: string }> = {
  whatsapp: { letter: 'W', label: 'WhatsApp' },
  telegram: { letter: 'T', label: 'Telegram' },
  sandbox: { letter: 'S', label: 'Sandbox' },
};

export function ProviderIcon({ provider }: { provider: Provider }) {
  const icon = ICONS[provider];
  return (
    <span class={`provider provider-${provider}`} role="img" aria-label={icon.label} title={icon.label}>
      {icon.letter}
    </span>
  );
}
