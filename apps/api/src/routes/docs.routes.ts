import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { buildOpenApiDocument } from '@switchboard/contracts';

const DOCS_PATH = '/docs';
const SPEC_PATH = '/openapi.json';

/** The contract as OpenAPI, and a Swagger UI page for it (its assets come from our origin, so helmet's CSP holds). */
export function docsRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  const uiOptions = { swaggerUrl: SPEC_PATH, customSiteTitle: 'Switchboard API', swaggerOptions: { validatorUrl: null } };
  // Asset links are made absolute so /docs works with or without a trailing slash.
  const page = swaggerUi.generateHTML(undefined, uiOptions).replaceAll('="./', `="${DOCS_PATH}/`);

  router.get(SPEC_PATH, (_req, res) => {
    res.json(document);
  });
  router.get(DOCS_PATH, (_req, res) => {
    res.type('html').send(page);
  });
  router.use(DOCS_PATH, swaggerUi.serveFiles(undefined, uiOptions));

  return router;
}
