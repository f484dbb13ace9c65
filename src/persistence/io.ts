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
