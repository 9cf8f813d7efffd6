import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http/errors.js';

/**
 * JSON bodies are read as bytes and refused unless they are valid UTF-8. Fastify's own parser
 * decodes them as a string first, which silently turns every invalid byte into U+FFFD: the
 * request would then store something the client never sent. After the check the bytes go to
 * Fastify's parser (secure-json-parse: `__proto__` and `constructor.prototype` keys refused).
 */
export const requestBodyPlugin = fp(
  async (app: FastifyInstance) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) {
        done(new HttpError(400, 'invalid_encoding', 'The request body is not valid UTF-8.'));
        return;
      }
      parseJson(request, bytes.toString('utf8'), done);
    });
  },
  { name: 'request-body' },
);
