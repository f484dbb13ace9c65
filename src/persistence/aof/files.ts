/**
 * File-system steps of the multi-part AOF, each as Redis 7.0 does it and
 * with its log lines: paths inside the AOF directory, reading and
 * persisting the manifest (temp file, fsync, rename, directory fsync),
 * opening incr files for appending, sizes, deleting history files.
 *
 * Names are latin1 strings of the file name's bytes (see manifest.ts);
 * `fsPath` turns one into a path Deno can open.
 *
 * @module
 */
import { log } from "../../log.ts";
import { bytesToLatin1, latin1ToUtf8, utf8ToLatin1 } from "../../util/bytes.ts";
import {
  formatManifest,
  type Manifest,
  manifestName,
  tempManifestName,
} from "./manifest.ts";
import { errorText, fsyncDir } from "../io.ts";

/** Where the AOF lives: `appenddirname` and `appendfilename` (latin1 bytes). */
export interface AofPaths {
  dir: string;
  filename: string;
}

/** The AOF paths from the configuration (relative to `dir`, the working directory). */
export function pathsOf(dirname: string, filename: string): AofPaths {
  return { dir: utf8ToLatin1(dirname), filename: utf8ToLatin1(filename) };
}

/** A latin1 byte string as a path for Deno. */
export function fsPath(name: string): string {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(name) ? name : latin1ToUtf8(name);
}

/** `<dir>/<name>` as a path for Deno. */
export function inDir(paths: AofPaths, name: string): string {
  return fsPath(`${paths.dir}/${name}`);
}

/** True when `path` exists and is a directory. */
export function dirExists(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** True when `path` exists (any kind of file). */
export function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates the AOF directory if it is missing; returns an error text on failure. */
export function ensureDir(paths: AofPaths): string | undefined {
  try {
    Deno.mkdirSync(fsPath(paths.dir), { recursive: true });
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/** A failure Redis treats as fatal at start-up; its lines are already logged. */
export class AofFatalError extends Error {
  /** `message` is the last line logged. */
  constructor(message: string) {
    super(message);
    this.name = "AofFatalError";
  }
}

/**
 * Reads the manifest from the AOF directory (Redis's
 * aofLoadManifestFromDisk). No directory or no manifest is an empty
 * manifest; an unreadable or invalid one is fatal.
 */
export function readManifestText(paths: AofPaths): string | undefined {
  if (!dirExists(fsPath(paths.dir))) {
    log.debug(`The AOF directory ${paths.dir} doesn't exist`);
    return undefined;
  }
  const name = manifestName(paths.filename);
  const path = inDir(paths, name);
  if (!fileExists(path)) {
    log.debug(`The AOF manifest file ${name} doesn't exist`);
    return undefined;
  }
  try {
    return bytesToLatin1(Deno.readFileSync(path));
  } catch (e) {
    const line =
      `Fatal error: can't open the AOF manifest file ${paths.dir}/${name} for reading: ${
        errorText(e)
      }`;
    log.warning(line);
    throw new AofFatalError(line);
  }
}

/**
 * Writes the manifest atomically: a temp file, fsync, rename over the
 * manifest, fsync of the directory. Returns false (after logging) on failure.
 */
export function persistManifest(paths: AofPaths, m: Manifest): boolean {
  const name = manifestName(paths.filename);
  const tmpName = tempManifestName(paths.filename);
  const tmp = inDir(paths, tmpName);
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  } catch (e) {
    log.warning(`Can't open the AOF manifest file ${tmpName}: ${errorText(e)}`);
    return false;
  }
  try {
    const text = formatManifest(m);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    let off = 0;
    try {
      while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
    } catch (e) {
      log.warning(
        `Error trying to write the temporary AOF manifest file ${tmpName}: ${
          errorText(e)
        }`,
      );
      return false;
    }
    try {
      file.syncSync();
    } catch (e) {
      log.warning(
        `Fail to fsync the temp AOF file ${tmpName}: ${errorText(e)}.`,
      );
      return false;
    }
  } finally {
    file.close();
  }
  try {
    Deno.renameSync(tmp, inDir(paths, name));
  } catch (e) {
    log.warning(
      `Error trying to rename the temporary AOF manifest file ${tmpName} into ${name}: ${
        errorText(e)
      }`,
    );
    return false;
  }
  // New files may have been added to the directory: make that durable too.
  const dirError = fsyncDir(fsPath(paths.dir));
  if (dirError !== undefined) {
    log.warning(
      `Fail to fsync AOF directory ${paths.dir}/${name}: ${dirError}.`,
    );
    return false;
  }
  return true;
}

/** Opens `path` for appending, creating it (Redis: O_WRONLY|O_APPEND|O_CREAT). */
export function openAppend(path: string): Deno.FsFile {
  return Deno.openSync(path, { append: true, create: true });
}

/** Creates `path` empty (or empties it) and opens it for appending (O_TRUNC). */
export function openTruncated(path: string): Deno.FsFile {
  Deno.openSync(path, { write: true, create: true, truncate: true }).close();
  return openAppend(path);
}

/** Size of a file in the AOF directory, or undefined (after logging) when it cannot be stat'ed. */
export function aofFileSize(
  paths: AofPaths,
  name: string,
): { size: number; missing: boolean } | undefined {
  try {
    return { size: Deno.statSync(inDir(paths, name)).size, missing: false };
  } catch (e) {
    log.warning(
      `Unable to obtain the AOF file ${name} length. stat: ${errorText(e)}`,
    );
    return e instanceof Deno.errors.NotFound
      ? { size: 0, missing: true }
      : undefined;
  }
}

/** Deletes a file without waiting (Redis's bg_unlink); errors are ignored. */
export function unlinkInBackground(path: string): void {
  Deno.remove(path).catch(() => {});
}
