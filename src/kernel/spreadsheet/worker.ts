/**
 * Entry of a spreadsheet-reading thread (pool.ts): reads each file it is sent and answers with the table or the
 * FileError's message. Any other error is reported as such and the thread carries on.
 */
import { parentPort } from 'node:worker_threads';
import { readTable } from './read-file.ts';
import { FileError } from './table.ts';

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  fileName: string;
}

export type ReadResponse =
  | { id: number; ok: true; result: ReturnType<typeof readTable> }
  | { id: number; ok: false; fileError: string }
  | { id: number; ok: false; error: string };

parentPort!.on('message', (request: ReadRequest) => {
  let response: ReadResponse;
  try {
    response = { id: request.id, ok: true, result: readTable(request.bytes, request.fileName) };
  } catch (error) {
    response =
      error instanceof FileError
        ? { id: request.id, ok: false, fileError: error.message }
        : { id: request.id, ok: false, error: String((error as Error)?.stack ?? error) };
  }
  parentPort!.postMessage(response);
});
parentPort!.postMessage('ready');
