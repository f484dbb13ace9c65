/**
 * MigrateService: the network side of MIGRATE, so commands never touch
 * sockets. The command builds the RESTORE commands; the service sends them
 * over a cached connection to the target (with AUTH and SELECT as needed),
 * retries once on a fresh connection when a cached one turns out dead, and
 * hands back the target's reply lines. src/migrate/ provides it;
 * features.ts installs it.
 *
 * @module
 */
import type { Argv } from "../protocol/types.ts";

/** One MIGRATE transfer. */
export interface MigrateRequest {
  readonly host: string;
  readonly port: number;
  /** Milliseconds each connect, write and read may take. */
  readonly timeoutMs: number;
  /** `[password]` for AUTH, `[username, password]` for AUTH2. */
  readonly auth: readonly string[] | undefined;
  /** Database to SELECT on the target (skipped if the connection is there already). */
  readonly dbid: number;
  /** One RESTORE command per key. */
  readonly restores: readonly Argv[];
}

/** What came back: the reply lines, or the I/O error Redis reports. */
export type MigrateResult =
  | {
    readonly kind: "replies";
    /** The AUTH reply line (without CRLF), if AUTH was sent. */
    readonly auth: string | undefined;
    /** The SELECT reply line, if SELECT was sent. */
    readonly select: string | undefined;
    /** One line per RESTORE read before the connection failed. */
    readonly restores: readonly string[];
    /** The connection failed after some replies: fewer lines than RESTOREs. */
    readonly socketError: boolean;
  }
  | {
    readonly kind: "ioerror";
    /** Which step failed: Redis's `IOERR error or timeout <step>`. */
    readonly step:
      | "connecting to the client"
      | "writing to target instance"
      | "reading to target instance";
  };

/** The connections MIGRATE keeps to its targets. */
export interface MigrateService {
  /** Runs one transfer; `done` gets the result once (asynchronously). */
  migrate(request: MigrateRequest, done: (result: MigrateResult) => void): void;
  /** Connections cached (INFO migrate_cached_sockets). */
  readonly cachedSockets: number;
}
