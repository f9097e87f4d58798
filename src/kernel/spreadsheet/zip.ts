import { Inflate } from 'fflate';
import { FileError } from './table.ts';
import { fr } from './limits.ts';

/**
 * The parts of an XLSX or ODS archive, read from its central directory, and inflated piece by piece with a real
 * byte counter shared by every part read: a part that claims 1 000 bytes and inflates to 1.5 GB is stopped as soon
 * as the counter passes the limit, whatever sizes the archive declares. Only what the readers ask for is inflated.
 */
const unreadable = () => new FileError('Le classeur est illisible (archive endommagée) : enregistrez-le de nouveau depuis votre tableur.');

interface Entry {
  method: number;
  compressedSize: number;
  headerOffset: number;
}

/** Compressed bytes pushed at a time: deflate expands at most about 1 000 times, so one push yields at most ~4 MB. */
const PUSH = 4096;

export class ZipArchive {
  private readonly entries = new Map<string, Entry>();
  private inflated = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxInflated: number,
  ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // End of central directory: 22 bytes, then a comment of at most 65 535 bytes.
    let eocd = -1;
    for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 65_535; i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw unreadable();
    const count = view.getUint16(eocd + 10, true);
    let at = view.getUint32(eocd + 16, true);
    if (count === 0xffff || at === 0xffffffff) throw unreadable(); // ZIP64: no spreadsheet of the accepted size needs it
    for (let n = 0; n < count; n++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw unreadable();
      const flags = view.getUint16(at + 8, true);
      const method = view.getUint16(at + 10, true);
      const compressedSize = view.getUint32(at + 20, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      const headerOffset = view.getUint32(at + 42, true);
      const name = new TextDecoder('utf-8').decode(bytes.subarray(at + 46, at + 46 + nameLength));
      if (flags & 1) throw new FileError('Le classeur est protégé par un mot de passe : enregistrez-en une copie sans protection.');
      if (!this.entries.has(name)) this.entries.set(name, { method, compressedSize, headerOffset });
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Inflates one part, handing its bytes to `onChunk` as they come. */
  read(name: string, onChunk: (chunk: Uint8Array) => void): void {
    const entry = this.entries.get(name);
    if (!entry) throw unreadable();
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const local = entry.headerOffset;
    if (local + 30 > this.bytes.length || view.getUint32(local, true) !== 0x04034b50) throw unreadable();
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw unreadable();
    const data = this.bytes.subarray(start, end);
    const count = (chunk: Uint8Array) => {
      this.inflated += chunk.length;
      if (this.inflated > this.maxInflated) {
        throw new FileError(
          `Le classeur est trop volumineux une fois décompressé (plus de ${fr(this.maxInflated / 1024 / 1024)} Mo) : découpez-le en plusieurs fichiers.`,
        );
      }
      if (chunk.length) onChunk(chunk);
    };
    if (entry.method === 0) {
      for (let i = 0; i < data.length; i += PUSH) count(data.subarray(i, i + PUSH));
      return;
    }
    if (entry.method !== 8)
      throw new FileError('Le classeur utilise une compression inconnue : enregistrez-le de nouveau depuis votre tableur.');
    let ended = false;
    let inReader = false; // an error thrown by the reader (a limit, or the end of what it needs) is not a broken archive
    const inflate = new Inflate((chunk, final) => {
      inReader = true;
      count(chunk);
      inReader = false;
      if (final) ended = true;
    });
    try {
      for (let i = 0; i < data.length; i += PUSH) inflate.push(data.subarray(i, i + PUSH), i + PUSH >= data.length);
      if (data.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (error) {
      if (inReader) throw error;
      throw unreadable();
    }
    if (!ended) throw unreadable();
  }

  /** Inflates one part as UTF-8 text, handed piece by piece to `onText`. */
  readText(name: string, onText: (text: string) => void): void {
    const decoder = new TextDecoder('utf-8');
    this.read(name, (chunk) => onText(decoder.decode(chunk, { stream: true })));
    const rest = decoder.decode();
    if (rest) onText(rest);
  }
}
