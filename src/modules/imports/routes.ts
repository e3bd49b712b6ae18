// Routes of /v1/imports: many incidents in one request, as NDJSON, with a report on every line.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client.ts';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { Errors } from '../../errors.ts';
import { answerStreamOnce } from '../../http/idempotency.ts';
import { actorOf, operation } from '../../http/route.ts';
import type { Clock } from '../../shared/clock.ts';
import { bodyProblems, json } from '../../shared/http.ts';
import { limitBytes, NDJSON, readNdjsonLines } from '../../shared/ndjson.ts';
import { IMPORT_MAX_BYTES, IMPORT_MAX_LINE_CHARS, IMPORT_MAX_LINES, ImportBodySchema, ImportQuerySchema, ImportReportSchema } from './schemas.ts';
import { runImport } from './service.ts';

export const importRoutes: FastifyPluginAsyncZod<{ db: Db; clock: Clock }> = async (app, { db, clock }) => {
  // This context reads NDJSON and nothing else (any other body is a 415), and reads it in the handler, a line
  // at a time as it arrives: the parser leaves the stream unread, so Fastify's body limit does not apply; the
  // handler counts the bytes itself (IMPORT_MAX_BYTES) and limits each line.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(NDJSON, (_request, _payload, done) => done(null));

  app.post('', {
    schema: {
      ...operation(
        'importIncidents',
        ['imports'],
        'Import incidents in bulk',
        `An NDJSON body (Content-Type: ${NDJSON}) of up to ${IMPORT_MAX_LINES} incidents, one per line as POST /v1/incidents takes them, ` +
          'read and recorded as it streams in. Each line is checked and recorded in its own transaction (victims, suspects, care plans, ' +
          'audit events and all), so an invalid line does not stop the rest; a reference the force already has is reported as exists and ' +
          'left as it is, so a file can be sent again safely. The answer reports every line. ?dryRun=true checks everything and records ' +
          `nothing. A body past ${IMPORT_MAX_LINES} lines is a 413 once the first ${IMPORT_MAX_LINES} are done (they stay recorded). ` +
          `A body over ${IMPORT_MAX_BYTES / 1024 / 1024} MB is a 413: at once when its Content-Length says so (nothing is read), else when the ` +
          'count passes the limit (lines before it stay recorded). With Idempotency-Key the report is kept and replayed (not for a dry run).',
      ),
      consumes: [NDJSON],
      querystring: ImportQuerySchema,
      body: ImportBodySchema,
      response: { 200: json(ImportReportSchema, 'The report: an outcome for every line read.', ['IdempotentReplayed']), ...bodyProblems() },
    },
    // The body schema documents the stream; each line is checked on its own as it is read.
    validatorCompiler: (route) =>
      route.httpPart === 'body' ? () => ({ value: undefined }) : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const tooLarge = () => Errors.importBodyTooLarge(IMPORT_MAX_BYTES);
      const declared = Number(request.headers['content-length']);
      if (declared > IMPORT_MAX_BYTES) {
        // Refused before a byte is read; the connection closes rather than drain the body.
        reply.header('connection', 'close');
        throw tooLarge();
      }
      const run = (onChunk: (chunk: Buffer | string) => void) => {
        const lines = readNdjsonLines(
          limitBytes(request.raw, IMPORT_MAX_BYTES, tooLarge),
          IMPORT_MAX_LINE_CHARS,
          (line) => Errors.importLineTooLong(line, IMPORT_MAX_LINE_CHARS),
          onChunk,
        );
        return runImport({ db, clock }, actor, lines, request.query.dryRun);
      };
      try {
        // A dry run changes nothing, so there is nothing to replay.
        if (request.query.dryRun) return await run(() => undefined);
        return await answerStreamOnce(request, reply, { db, clock }, run);
      } catch (err) {
        // Stopped part-way through the body (a line too long, too many lines): answer, then close the
        // connection instead of reading, or waiting on, the rest of it.
        if (!request.raw.complete) reply.header('connection', 'close');
        throw err;
      }
    },
  });
};
