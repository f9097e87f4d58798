import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FileError } from './table.ts';
import type { ZipArchive } from './zip.ts';

/**
 * One part of an archive read as a stream of XML events (saxes): no tree is built, so memory follows what the
 * reader keeps, not the size of the XML. saxes expands only the five predefined entities (no DTD, so no
 * « billion laughs »). A handler may throw a FileError to stop at the first excess, or `StopReading` once it has
 * what it needs.
 */
export interface XmlHandlers {
  open?(tag: SaxesTagPlain): void;
  close?(tag: SaxesTagPlain): void;
  text?(text: string): void;
}

export class StopReading extends Error {}

export function readXml(archive: ZipArchive, part: string, handlers: XmlHandlers, malformed: string): void {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.close) parser.on('closetag', handlers.close);
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  try {
    archive.readText(part, (chunk) => parser.write(chunk));
    parser.close();
  } catch (error) {
    if (error instanceof StopReading) return;
    if (error instanceof FileError) throw error;
    throw new FileError(malformed);
  }
}
