import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from '@switchboard/contracts';
import { ApiError } from '../http/api-error';

const DOCS_PATH = '/docs';
const SPEC_PATH = '/openapi.json';

/** The contract as OpenAPI, and a Swagger UI page for it (its assets come from our origin, so helmet's CSP holds). */
export function docsRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  // customCss '' keeps swagger-ui-express from printing a stray `undefined` into the page.
  const uiOptions = { swaggerUrl: SPEC_PATH, customSiteTitle: 'Switchboard API', customCss: '', swaggerOptions: { validatorUrl: null } };
  // Asset links are made absolute so /docs works with or without a trailing slash.
  const page = swaggerUi.generateHTML(undefined, uiOptions).replaceAll('="./', `="${DOCS_PATH}/`);

  router.get(SPEC_PATH, (_req, res) => {
    res.json(document);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.type('html').send(page);
  });
  router.use(DOCS_PATH, swaggerUi.serveFiles(undefined, uiOptions));
  // Anything else under /docs (an unknown asset, a `%2e%2e` that the static server refuses) is a JSON 404.
  router.use(DOCS_PATH, (req) => {
    throw new ApiError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
  });

  return router;
}
