import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { Media } from '../api/api-types';
import { sizeOf } from './format';

/** Images inline, anything else as a download; media not (yet) stored says why. */
export function MediaView({ api, media }: { api: ApiClient; media: Media }) {
  const state = media.state ?? 'ready';
  const name = media.filename ?? media.mimeType;
  if (state !== 'ready') {
    const why = state === 'pending' ? 'downloading…' : state === 'too_large' ? 'too large to download' : 'download failed';
    return (
      <p class="media-note">
        {name} ({sizeOf(media.size)}): {why}
      </p>
    );
  }
  return media.mimeType.startsWith('image/') ? <InlineImage api={api} media={media} /> : <DownloadLink api={api} media={media} />;
}

function InlineImage({ api, media }: { api: ApiClient; media: Media }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    api.mediaDataUrl(media.url).then((url) => live && setSrc(url), () => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [media.url]);
  if (failed) return <DownloadLink api={api} media={media} />;
  return src ? <img class="media-image" src={src} alt={media.filename ?? 'image'} /> : <div class="media-placeholder" aria-label="loading image" />;
}

function DownloadLink({ api, media }: { api: ApiClient; media: Media }) {
  const download = async () => {
    const url = await api.mediaDataUrl(media.url);
    const link = document.createElement('a');
    link.href = url;
    link.download = media.filename ?? 'download';
    link.click();
  };
  return (
    <button type="button" class="link-button" onClick={() => void download()}>
      ⬇ {media.filename ?? media.mimeType} ({sizeOf(media.size)})
    </button>
  );
}
