import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TextDecoder } from 'node:util';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '@bastion/contract';
import { CsvError, parse } from 'csv-parse';
import { badRequest, HttpError } from '../../http/errors.js';

/**
 * Why PostgreSQL would refuse to store this cell, or undefined when it can: the contract's one
 * text rule (U+0000, lone surrogates), which every JSON request field is checked with too.
 */
export function unstorableText(value: string): string | undefined {
  return isStorableText(value) ? undefined : UNSTORABLE_TEXT_MESSAGE;
}

export interface CsvRecord {
  /** 1-based data row (the header is row 0); empty lines are not counted. */
  row: number;
  /** The row's cells by column name; missing cells are absent, extra cells dropped. */
  values: Record<string, string>;
}

export interface CsvReadOptions {
  /** The charset of the upload (Content-Type's `charset`); UTF-8 when absent. */
  charset?: string;
  maxBytes: number;
  maxRows: number;
  /** Records per yielded batch. */
  batchSize: number;
  /** Maps the header row to column names; throws (an HttpError) to refuse the file. */
  columns(header: string[]): (string | undefined)[];
}

// Input is fed to the parser in slices of this size, with a turn of the event loop between
// them: a 20 MiB body that arrives as one chunk is still parsed a little at a time.
const SLICE_BYTES = 16 * 1024;

const fileError = (message: string, status = 400) =>
  status === 400
    ? badRequest(message, [{ path: ['file'], message }])
    : new HttpError(status, 'payload_too_large', message, [{ path: ['file'], message }]);

/** A decoder for the upload's charset; a 415 for one that nothing here can decode. */
export function csvDecoder(charset = 'utf-8'): TextDecoder {
  try {
    // `fatal`: a byte sequence that is not valid in the charset is an error, not U+FFFD.
    return new TextDecoder(charset, { fatal: true });
  } catch {
    throw new HttpError(415, 'unsupported_media_type', `Unknown charset "${charset}".`);
  }
}

/**
 * Reads a CSV upload as a stream, in batches of records: the body is decoded (strictly), parsed
 * by csv-parse and handed out `batchSize` records at a time, so neither the file nor its rows
 * are ever held whole. Backpressure reaches the socket: while the caller works on a batch, no
 * more input is read. Bad input ends the read with an HttpError naming the `file` field: not
 * text in its charset, not CSV, empty, too large, too many rows.
 */
export async function* readCsvBatches(
  source: AsyncIterable<Uint8Array | string>,
  options: CsvReadOptions,
): AsyncGenerator<CsvRecord[]> {
  const decoder = csvDecoder(options.charset);
  let bytes = 0;
  let blank = true;
  let dataRows = 0;

  async function* text(): AsyncGenerator<string> {
    for await (const chunk of source) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let offset = 0; offset < buffer.length; offset += SLICE_BYTES) {
        const slice = buffer.subarray(offset, offset + SLICE_BYTES);
        bytes += slice.length;
        if (bytes > options.maxBytes) {
          throw fileError(`The file is larger than ${options.maxBytes / 1024 / 1024} MiB.`, 413);
        }
        let decoded: string;
        try {
          decoded = decoder.decode(slice, { stream: true });
        } catch {
          throw fileError(
            `The file is not ${decoder.encoding.toUpperCase()} text (invalid bytes after data row ${dataRows}). Save it as "CSV UTF-8" and upload it again.`,
          );
        }
        if (blank && /\S/.test(decoded)) blank = false;
        if (decoded) yield decoded;
        await nextTurn();
      }
    }
    try {
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch {
      throw fileError(
        `The file is not ${decoder.encoding.toUpperCase()} text (it ends mid-character).`,
      );
    }
  }

  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    // A runaway quoted field fails here instead of growing until the size limit.
    max_record_size: 256 * 1024,
  });
  const feeding = pipeline(Readable.from(text()), parser);
  // The same error reaches the loop below through the parser; this only avoids an unhandled one.
  feeding.catch(() => {});

  let columns: (string | undefined)[] | undefined;
  let batch: CsvRecord[] = [];
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = options.columns(cells);
        continue;
      }
      if (++dataRows > options.maxRows) {
        throw fileError(`At most ${options.maxRows} rows per import.`);
      }
      const values: Record<string, string> = {};
      cells.forEach((cell, index) => {
        const column = columns![index];
        if (column !== undefined) values[column] = cell;
      });
      batch.push({ row: dataRows, values });
      if (batch.length >= options.batchSize) {
        yield batch;
        batch = [];
      }
    }
    await feeding;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof CsvError) {
      throw badRequest(`The file is not valid CSV: ${error.message}`, [
        { path: ['file'], message: 'Not a valid CSV file.' },
      ]);
    }
    throw error;
  } finally {
    parser.destroy();
  }
  if (blank || !columns) throw fileError('The file is empty.');
  if (batch.length > 0) yield batch;
}
