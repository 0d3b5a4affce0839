/**
 * Content codings for the static layer. A request's `Accept-Encoding` picks
 * `br`, then `gzip`, then the file as it is (RFC 9110, section 12.5.3:
 * `q=0` refuses a coding, `*` stands for any coding not named). A file's
 * precompressed sibling (`x.css.br`) is served when there is one; otherwise a
 * compressible file is compressed with Node's zlib on its first request and the
 * result kept in memory (the files are those found when the server started),
 * so later requests cost what a precompressed file costs. Quality is set for a
 * fast first response; precompress at build for the smallest files.
 */
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Coding = 'br' | 'gzip';

/** Smaller files gain too little to be worth a coding (the `compression` middleware's default). */
const MIN_BYTES = 1024;
/** Larger files are sent as they are: compressing them whole in memory is not worth it. */
const MAX_BYTES = 8 * 1024 * 1024;
/** Compressed bytes kept in memory at most; the oldest entries go first. */
const CACHE_BYTES = 64 * 1024 * 1024;

/** Types that compress well: text, scripts, data, SVG. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/;

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/** Browsers send a handful of distinct headers: each is read once (a bounded memory). */
const accepted = new Map<string, readonly Coding[]>();

/** The codings a request accepts, best first. */
export function acceptedCodings(header: string | undefined): readonly Coding[] {
  if (!header || header === 'identity') return [];
  let codings = accepted.get(header);
  if (!codings) {
    if (accepted.size >= 100) accepted.clear();
    accepted.set(header, (codings = readCodings(header)));
  }
  return codings;
}

function readCodings(header: string): Coding[] {
  let br: boolean | undefined;
  let gz: boolean | undefined;
  let any: boolean | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...parameters] = part.split(';');
    const token = name.trim().toLowerCase();
    const q = parameters.map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(parameter)?.[1]).find((value) => value !== undefined);
    const accepted = q === undefined || Number(q) > 0;
    if (token === 'br') br = accepted;
    else if (token === 'gzip' || token === 'x-gzip') gz = accepted;
    else if (token === '*') any = accepted;
  }
  const codings: Coding[] = [];
  if (br ?? any) codings.push('br');
  if (gz ?? any) codings.push('gzip');
  return codings;
}

export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

export interface Compressed {
  readonly body: Buffer;
  /** The source file's size and modification time, for the entity tag. */
  readonly size: number;
  readonly mtime: Date;
}

/** On-the-fly compression with a bounded memory of what it compressed. */
export function compressedFiles(): (path: string, coding: Coding) => Promise<Compressed | undefined> {
  const cache = new Map<string, Promise<Compressed | undefined>>();
  const sizes = new Map<string, number>();
  let total = 0;
  const remember = (key: string, entry: Compressed | undefined) => {
    const bytes = entry?.body.length ?? 0;
    sizes.set(key, bytes);
    total += bytes;
    for (const [oldest, size] of sizes) {
      if (total <= CACHE_BYTES || oldest === key) break;
      cache.delete(oldest);
      sizes.delete(oldest);
      total -= size;
    }
  };
  return (path, coding) => {
    const key = `${coding}:${path}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = compress(path, coding).then(
        (compressed) => {
          remember(key, compressed);
          return compressed;
        },
        () => {
          // Unreadable now: nothing kept, the caller sends the file as it is.
          cache.delete(key);
          return undefined;
        },
      );
      cache.set(key, entry);
    }
    return entry;
  };
}

/** The file compressed, or undefined when its size says it is not worth it. */
async function compress(path: string, coding: Coding): Promise<Compressed | undefined> {
  const info = await stat(path);
  if (info.size < MIN_BYTES || info.size > MAX_BYTES) return undefined;
  const source = await readFile(path);
  const body =
    coding === 'br'
      ? await compressBrotli(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } })
      : await compressGzip(source, { level: 6 });
  // Incompressible after all: the file itself is smaller.
  return body.length < source.length ? { body, size: info.size, mtime: info.mtime } : undefined;
}
