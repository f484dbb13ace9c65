/**
 * File-system helpers the RDB and AOF runtimes share: Redis's strerror
 * text of an I/O error, and the directory fsync that makes a rename
 * durable (Redis's fsyncFileDir).
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
