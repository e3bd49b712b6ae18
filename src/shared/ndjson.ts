// NDJSON (application/x-ndjson): streaming lines out with backpressure, and reading them in as they arrive.
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyReply } from 'fastify';

export const NDJSON = 'application/x-ndjson';

/**
 * Sends chunks of items as NDJSON, one item per line. The next chunk is pulled only when the client has
 * taken the previous one (a byte stream: its buffer holds about one chunk), so memory stays flat whatever
 * the total; a client that goes away stops it. A failure after the first bytes cuts the response short
 * (no final chunk), which HTTP clients report as an incomplete transfer.
 */
export function sendNdjson(reply: FastifyReply, chunks: AsyncIterable<readonly unknown[]>): FastifyReply {
  async function* lines() {
    try {
      for await (const chunk of chunks) {
        if (chunk.length > 0) yield chunk.map((item) => JSON.stringify(item)).join('\n') + '\n';
      }
    } catch (err) {
      // Fastify logs a stream's error as it is; a driver error's message holds SQL and its parameters.
      const code = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      reply.log.error({ err: { type: (err as Error).name, code } }, 'NDJSON stream failed');
      // eslint-disable-next-line preserve-caught-error -- the cause is what must stay out of the log
      throw new Error('The stream stopped: see the error logged before this one.');
    }
  }
  return reply.type(`${NDJSON}; charset=utf-8`).send(Readable.from(lines(), { objectMode: false }));
}

export interface NdjsonLine {
  /** 1-based, counting blank lines. */
  line: number;
  text: string;
}

/**
 * Splits a byte stream into lines as they arrive, so a body of any length is never held whole: at most one
 * line and one chunk are in memory. A byte-order mark before the first line and a CR before each LF (a
 * spreadsheet's export) are dropped. A line longer than maxLineChars stops the read with tooLong(line).
 * onChunk sees every chunk as it is read (a digest of the body, say).
 */
export async function* readNdjsonLines(
  source: AsyncIterable<Buffer | string>,
  maxLineChars: number,
  tooLong: (line: number) => Error,
  onChunk?: (chunk: Buffer | string) => void,
): AsyncGenerator<NdjsonLine> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  const text = (raw: string) => {
    const t = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    return line === 1 && t.startsWith('\ufeff') ? t.slice(1) : t;
  };
  for await (const chunk of source) {
    onChunk?.(chunk);
    const data = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
      line++;
      if (nl - start - (data[nl - 1] === '\r' ? 1 : 0) > maxLineChars) throw tooLong(line);
      yield { line, text: text(data.slice(start, nl)) };
      start = nl + 1;
    }
    rest = data.slice(start);
    // One more: the CR a CRLF line end may hold back until its LF arrives.
    if (rest.length > maxLineChars + 1) throw tooLong(line + 1);
  }
  rest += decoder.end();
  if (rest !== '') {
    line++;
    if (rest.length - (rest.endsWith('\r') ? 1 : 0) > maxLineChars) throw tooLong(line);
    yield { line, text: text(rest) };
  }
}

/**
 * Passes a byte stream on as it arrives, counting it: past maxBytes the read stops with tooLarge(). Nothing is
 * buffered, so a body's size is enforced whether or not it declared a Content-Length.
 */
export async function* limitBytes(source: AsyncIterable<Buffer | string>, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Buffer | string> {
  let total = 0;
  for await (const chunk of source) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (total > maxBytes) throw tooLarge();
    yield chunk;
  }
}
