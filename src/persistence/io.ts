/**
 * File-system helpers the RDB and AOF runtimes share: Redis's strerror
 * text of an I/O error, the directory fsync that makes a rename durable
 * (Redis's fsyncFileDir), and a rename over a large file that does not
 * free the old one on the event loop.
 *
 * @module
 */

/** strerror-like text of an I/O error ("No such file or directory"). */
export function errorText(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // "No space left on device (os error 28)" → strerror's text.
  return message.replace(/ \(os error \d+\).*$/s, "");
}

/** fsyncs a directory (so a rename in it survives a crash); returns an error text. */
export function fsyncDir(path: string): string | undefined {
  try {
    const dir = Deno.openSync(path, { read: true });
    try {
      dir.syncSync();
    } finally {
      dir.close();
    }
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/**
 * fsyncDir off the event loop (a BGSAVE's last step: a directory fsync can
 * wait for a journal commit); resolves with an error text or undefined.
 */
export async function fsyncDirAsync(path: string): Promise<string | undefined> {
  try {
    const dir = await Deno.open(path, { read: true });
    try {
      await dir.sync();
    } finally {
      dir.close();
    }
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/**
 * Renames `from` over `to` at once, as renameSync does, but frees the
 * blocks of the file `to` named before off the event loop: a rename over a
 * large dump frees them inside the call (about 10 ms for 33 MB here, which
 * every client would wait for; Redis renames in its fork child). The old
 * file is held open across the rename, then, if no other name links to
 * it, truncated by a background thread and closed. Throws what renameSync
 * throws. The rename is done when this returns; the promise says when the
 * old file has been let go of.
 */
export function renameOver(from: string, to: string): Promise<void> {
  let old: Deno.FsFile | undefined;
  try {
    old = Deno.openSync(to, { read: true, write: true });
  } catch {
    // No old file (or not ours to truncate): a plain rename.
  }
  try {
    Deno.renameSync(from, to);
  } catch (e) {
    old?.close();
    throw e;
  }
  return old === undefined ? Promise.resolve() : releaseUnlinked(old);
}

async function releaseUnlinked(file: Deno.FsFile): Promise<void> {
  try {
    const info = await file.stat();
    if (info.nlink === 0) await file.truncate(0);
  } catch {
    // Best effort: closing frees the blocks anyway.
  } finally {
    file.close();
  }
}
