import { Worker } from 'node:worker_threads';
import { FileError, type Table } from './table.ts';
import { READERS, fr } from './limits.ts';
import type { FileFormat } from './read-file.ts';
import type { ReadRequest, ReadResponse } from './worker.ts';

/**
 * Uploaded spreadsheets are read in worker threads, never on the event loop that answers requests: while a hostile
 * file is being refused, `/healthz` and every page keep answering. Each thread has its own heap limit (a file that
 * needs more memory ends that thread with a clear message, not the process), each file a time limit (the thread is
 * stopped), and only a few files are read at once with a short queue behind: past that, « serveur occupé ».
 *
 * Threads are started on the first upload and kept a minute for the next one. The entry is worker.ts run through
 * tsx when Vigie runs from its sources (tests, development), worker.js when it runs the compiled tree (`npm start`).
 */
export class BusyError extends FileError {}

export interface ReaderOptions {
  concurrency: number;
  queue: number;
  heapMb: number;
  timeoutMs: number;
  idleMs: number;
}

type Result = { format: FileFormat; table: Table };

interface Job {
  request: ReadRequest;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface Reader {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** The thread has loaded its code and said so. */
  ready: boolean;
}

const entry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
// From the sources, the thread registers tsx before loading the TypeScript entry (a thread does not inherit the
// loader hooks of the main thread); the compiled tree needs nothing.
const bootstrap = entry.pathname.endsWith('.ts')
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`
  : `import(${JSON.stringify(entry.href)});`;

export class SpreadsheetReaders {
  private readers: Reader[] = [];
  private idle: { reader: Reader; timer: NodeJS.Timeout }[] = [];
  private waiting: Job[] = [];
  private nextId = 1;

  constructor(readonly options: ReaderOptions = READERS) {}

  /** Reads the first sheet of the file in a thread; rejects with a FileError (a BusyError when the queue is full). */
  read(bytes: Uint8Array, fileName: string): Promise<Result> {
    const running = this.readers.filter((r) => r.job).length;
    if (running + this.waiting.length >= this.options.concurrency + this.options.queue) {
      return Promise.reject(new BusyError('Le serveur est occupé à lire d’autres fichiers : réessayez dans une minute.'));
    }
    // A copy of its own, moved to the thread without a second copy (the upload's buffer may share its memory).
    const copy = new Uint8Array(bytes);
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ request: { id: this.nextId++, bytes: copy, fileName }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread (server shutdown, tests). */
  async close(): Promise<void> {
    const readers = this.readers;
    this.readers = [];
    for (const { timer } of this.idle) clearTimeout(timer);
    this.idle = [];
    for (const job of this.waiting.splice(0)) job.reject(new BusyError('Le serveur s’arrête : réessayez dans une minute.'));
    await Promise.all(readers.map((r) => r.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length && this.idle.length) {
      const { reader, timer } = this.idle.pop()!;
      clearTimeout(timer);
      this.run(reader, this.waiting.shift()!);
    }
    // Threads still starting will take the next jobs; start more only for the jobs left over.
    let needed = this.waiting.length - this.readers.filter((r) => !r.ready).length;
    while (needed-- > 0 && this.readers.length < this.options.concurrency) this.start();
  }

  /** The time limit counts from here, once the thread is ready: a slow thread start is not the file's fault. */
  private run(reader: Reader, job: Job): void {
    reader.job = job;
    reader.worker.ref();
    const seconds = Math.max(1, Math.round(this.options.timeoutMs / 1000));
    reader.timer = setTimeout(() => {
      this.fail(
        reader,
        new FileError(
          `La lecture du fichier a dépassé ${fr(seconds)} seconde${seconds > 1 ? 's' : ''} : découpez-le en fichiers plus petits.`,
        ),
      );
    }, this.options.timeoutMs);
    reader.worker.postMessage(job.request, [job.request.bytes.buffer as ArrayBuffer]);
  }

  private start(): Reader {
    const worker = new Worker(bootstrap, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
      stdout: false,
      stderr: false,
    });
    const reader: Reader = { worker, job: null, timer: null, ready: false };
    this.readers.push(reader);
    worker.on('message', (response: ReadResponse | 'ready') => {
      if (response === 'ready') {
        reader.ready = true;
        if (this.waiting.length) this.run(reader, this.waiting.shift()!);
        else this.release(reader);
        return;
      }
      const job = reader.job;
      if (!job || response.id !== job.request.id) return;
      this.release(reader);
      if (response.ok) job.resolve(response.result);
      else if ('fileError' in response) job.reject(new FileError(response.fileError));
      else
        job.reject(
          new FileError('Le fichier n’a pas pu être lu : enregistrez-le de nouveau depuis votre tableur.', { cause: response.error }),
        );
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      this.fail(
        reader,
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new FileError('Le fichier demande trop de mémoire pour être lu : découpez-le en fichiers plus petits.')
          : new FileError('Le fichier n’a pas pu être lu : enregistrez-le de nouveau depuis votre tableur.', { cause: error }),
      );
    });
    worker.on('exit', () => this.fail(reader, new FileError('Le fichier n’a pas pu être lu : réessayez.')));
    return reader;
  }

  /** The thread is free again: kept for a while for the next file, unreferenced so that it never holds the process. */
  private release(reader: Reader): void {
    if (reader.timer) clearTimeout(reader.timer);
    reader.timer = null;
    reader.job = null;
    reader.worker.unref();
    const timer = setTimeout(() => {
      this.idle = this.idle.filter((i) => i.reader !== reader);
      this.readers = this.readers.filter((r) => r !== reader);
      void reader.worker.terminate();
    }, this.options.idleMs);
    timer.unref();
    this.idle.push({ reader, timer });
  }

  /** The thread's file failed (time, memory, crash): the job is refused and the thread stopped and forgotten. */
  private fail(reader: Reader, error: FileError): void {
    if (reader.timer) clearTimeout(reader.timer);
    reader.timer = null;
    const job = reader.job;
    reader.job = null;
    const wasKnown = this.readers.includes(reader);
    this.readers = this.readers.filter((r) => r !== reader);
    this.idle = this.idle.filter((i) => {
      if (i.reader !== reader) return true;
      clearTimeout(i.timer);
      return false;
    });
    if (wasKnown) void reader.worker.terminate();
    job?.reject(error);
    if (wasKnown) this.dispatch();
  }
}

let shared: SpreadsheetReaders | null = null;

/** The process's reading threads, for the web routes. */
export function spreadsheetReaders(): SpreadsheetReaders {
  shared ??= new SpreadsheetReaders();
  return shared;
}

/** Reads an uploaded spreadsheet off the event loop (see SpreadsheetReaders). */
export function readUploadedTable(bytes: Uint8Array, fileName: string): Promise<Result> {
  return spreadsheetReaders().read(bytes, fileName);
}
