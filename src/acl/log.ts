/**
 * The ACL log (ACL LOG): recent denials, newest first. A denial like one of
 * the last ten entries (same reason, context, object and user, within a
 * minute) bumps that entry's count and moves it to the front instead of
 * adding a new one, as Redis does.
 *
 * @module
 */

/** Why an entry was logged (ACL LOG's `reason`). */
export type AclLogReason = "command" | "key" | "channel" | "auth";

/** Where the denied command ran (ACL LOG's `context`). */
export type AclLogContext = "toplevel" | "multi" | "lua" | "module";

/** One ACL LOG entry. */
export interface AclLogEntry {
  count: number;
  readonly reason: AclLogReason;
  readonly context: AclLogContext;
  /** The command, key or channel denied, or the AUTH/HELLO word for auth failures. */
  readonly object: string;
  readonly username: string;
  /** Unix ms of the last occurrence. */
  time: number;
  /** CLIENT INFO of the last client it happened to. */
  clientInfo: string;
}

// Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA.
const GROUPING_MS = 60000;

/** The log itself. */
export class AclLog {
  /** Newest first. */
  entries: AclLogEntry[] = [];
  /** acllog-max-len. */
  maxLen: number;

  /** An empty log keeping at most `maxLen` entries. */
  constructor(maxLen: number) {
    this.maxLen = maxLen;
  }

  /** Records one denial. */
  add(entry: Omit<AclLogEntry, "count">): void {
    const entries = this.entries;
    const scan = Math.min(10, entries.length);
    for (let i = 0; i < scan; i++) {
      const e = entries[i]!;
      if (
        e.reason === entry.reason && e.context === entry.context &&
        Math.abs(e.time - entry.time) <= GROUPING_MS &&
        e.object === entry.object && e.username === entry.username
      ) {
        e.count++;
        e.time = entry.time;
        e.clientInfo = entry.clientInfo;
        entries.splice(i, 1);
        entries.unshift(e);
        return;
      }
    }
    entries.unshift({ count: 1, ...entry });
    this.trim();
  }

  /** Drops the oldest entries beyond `maxLen`. */
  trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }

  /** ACL LOG RESET. */
  reset(): void {
    this.entries = [];
  }
}
