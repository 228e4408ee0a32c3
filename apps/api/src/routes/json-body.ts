import express from 'express';
import { MAX_MEDIA_BYTES } from '@switchboard/contracts';

/**
 * Room for a 16 MB file in base64 (4/3 of it) plus the rest of the JSON. A larger body is a
 * 413 before it is read; a file that passes this but decodes to more than 16 MB is refused by
 * the send service with the field named.
 */
export const JSON_BODY_LIMIT_BYTES = Math.ceil(MAX_MEDIA_BYTES / 3) * 4 + 1024 * 1024;

/** Parsed per route, after auth: an unauthenticated client cannot make us read 23 MB. */
export const jsonBody = express.json({ limit: JSON_BODY_LIMIT_BYTES });
