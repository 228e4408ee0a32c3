import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// One zod instance for every contract, extended once so schemas can carry OpenAPI names.
extendZodWithOpenApi(z);

export { z };
