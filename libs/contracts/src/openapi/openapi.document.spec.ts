import SwaggerParser from '@apidevtools/swagger-parser';
import { buildOpenApiDocument, ROUTES } from './openapi.document';

type Operation = {
  operationId?: string;
  tags?: string[];
  description?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
  );

  it('is valid OpenAPI 3.1 (checked by a validator)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    // The validator does refuse a broken document: a reference to a schema that is not there.
    const broken = structuredClone(document) as { components: { schemas: Record<string, unknown> } };
    delete broken.components.schemas.Error;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/Error/);
  });

  it('documents every route with a unique operationId, a tag and a description', () => {
    expect(operations).toHaveLength(ROUTES.length);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      expect({ path, method, ok: Boolean(op.operationId && op.tags?.length && op.description) }).toEqual({ path, method, ok: true });
    }
  });

  it('lists the errors each route can answer, in the error shape, with Retry-After on 429', () => {
    for (const { path, op } of operations) {
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['500', '503']));
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(response.content?.['application/json']).toEqual({ schema: { $ref: '#/components/schemas/Error' } });
      }
      if (path.startsWith('/v1/')) expect(op.responses['429']?.headers).toHaveProperty('Retry-After');
    }
  });

  it('declares the Idempotency-Key header and the one-of rules of a send', () => {
    const send = operations.find(({ op }) => op.operationId === 'sendMessage')?.op as Operation;
    expect(send.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['400', '409', '413', '429']));
    const body = (document.components?.schemas as Record<string, { oneOf?: unknown; anyOf?: unknown }>).SendMessageBody;
    expect(body?.oneOf).toEqual([{ required: ['chatId'] }, { required: ['to'] }]);
    expect(body?.anyOf).toEqual([{ required: ['text'] }, { required: ['media'] }]);
  });
});
