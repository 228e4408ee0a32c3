import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { Logger } from '@switchboard/config';
import { tenantIdOf, type AuthMiddlewares } from '../http/auth';
import { pathParam } from '../http/validate';
import type { MediaService } from '../services/media.service';

// Shown in the page only when a browser can render it safely; anything else downloads.
const INLINE_TYPES = /^(image|audio|video)\//;

/** RFC 6266 / 5987 `filename*`, so any name survives the header. */
export function contentDisposition(mimeType: string, filename: string | null): string {
  const kind = INLINE_TYPES.test(mimeType) ? 'inline' : 'attachment';
  if (!filename) return kind;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename*=UTF-8''${encoded}`;
}

export function mediaRoutes(media: MediaService, auth: AuthMiddlewares, logger: Logger): Router {
  const router = Router();

  router.get('/v1/media/:sha256', auth.tenant, async (req, res) => {
    const download = await media.open(tenantIdOf(res), pathParam(req, 'sha256'));
    res.setHeader('Content-Type', download.media.mimeType);
    res.setHeader('Content-Length', String(download.size));
    res.setHeader('Content-Disposition', contentDisposition(download.media.mimeType, download.media.filename));
    // Content-addressed: the bytes behind a URL never change.
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    try {
      await pipeline(download.stream, res);
    } catch (error) {
      // The client went away mid-download; nothing left to answer.
      logger.debug({ err: error }, 'media download aborted');
    }
  });

  return router;
}
