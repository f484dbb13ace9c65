/**
 * The network side of MIGRATE (Redis's migrateGetSocket and the transfer
 * part of migrateCommand): connections to targets are cached by
 * `host:port` (at most 64, each closed after 10 idle seconds) with the
 * database last selected there; a transfer writes AUTH, SELECT and the
 * RESTOREs at once, then reads one reply line for each. A cached
 * connection that fails before the first RESTORE reply is replaced by a
 * fresh one and the transfer retried once, unless it timed out.
 *
 * @module
 */
import type {
  MigrateRequest,
  MigrateResult,
  MigrateService,
} from "../services/migrate.ts";
import type { ServerState } from "../state.ts";
import type { Argv } from "../protocol/types.ts";

// Redis's MIGRATE_SOCKET_CACHE_ITEMS and MIGRATE_SOCKET_CACHE_TTL.
const CACHE_ITEMS = 64;
const CACHE_TTL_MS = 10_000;
// Redis writes the query in chunks of this size.
const WRITE_CHUNK = 64 * 1024;

class TimedOut extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function encode(commands: readonly Argv[]): Uint8Array {
  let text = "";
  for (const argv of commands) {
    text += `*${argv.length}\r\n`;
    for (const word of argv) text += `$${word.length}\r\n${word}\r\n`;
  }
  return latin1Bytes(text);
}

/** A cached connection to one target. */
class Target {
  readonly conn: Deno.Conn;
  /** The database selected there, or -1 when unknown. */
  lastDbid = -1;
  lastUse: number;
  #buf = "";

  constructor(conn: Deno.Conn, now: number) {
    this.conn = conn;
    this.lastUse = now;
  }

  async write(data: Uint8Array, timeoutMs: number): Promise<void> {
    for (let pos = 0; pos < data.length;) {
      const chunk = data.subarray(
        pos,
        Math.min(data.length, pos + WRITE_CHUNK),
      );
      let off = 0;
      while (off < chunk.length) {
        off += await withTimeout(
          this.conn.write(chunk.subarray(off)),
          timeoutMs,
        );
      }
      pos += chunk.length;
    }
  }

  // One reply line without its CRLF; throws on EOF or timeout.
  async readLine(timeoutMs: number): Promise<string> {
    const buf = new Uint8Array(16 * 1024);
    for (;;) {
      const nl = this.#buf.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buf.slice(0, nl).replace(/\r$/, "");
        this.#buf = this.#buf.slice(nl + 1);
        return line;
      }
      const n = await withTimeout(this.conn.read(buf), timeoutMs);
      if (n === null) throw new Error("connection closed by the target");
      this.#buf += String.fromCharCode(...buf.subarray(0, n));
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}

/** MIGRATE's connections to other servers. */
export class Migrator implements MigrateService {
  readonly #server: ServerState;
  readonly #targets = new Map<string, Target>();

  /** Creates the cache; idle connections are closed from the server cron. */
  constructor(server: ServerState) {
    this.#server = server;
    server.cronHooks.push(() => this.#closeIdle());
  }

  get cachedSockets(): number {
    return this.#targets.size;
  }

  migrate(
    request: MigrateRequest,
    done: (result: MigrateResult) => void,
  ): void {
    this.#run(request).then(
      done,
      () => done({ kind: "ioerror", step: "reading to target instance" }),
    );
  }

  async #run(req: MigrateRequest): Promise<MigrateResult> {
    let mayRetry = true;
    for (;;) {
      const target = await this.#connect(req);
      if (target === undefined) {
        return { kind: "ioerror", step: "connecting to the client" };
      }
      const select = target.lastDbid !== req.dbid;
      const commands: Argv[] = [];
      if (req.auth !== undefined) commands.push(["AUTH", ...req.auth]);
      if (select) commands.push(["SELECT", String(req.dbid)]);
      for (const r of req.restores) commands.push(r);
      let writing = true;
      let timedOut = false;
      let auth: string | undefined;
      let selected: string | undefined;
      const restores: string[] = [];
      try {
        await target.write(encode(commands), req.timeoutMs);
        writing = false;
        if (req.auth !== undefined) auth = await target.readLine(req.timeoutMs);
        if (select) selected = await target.readLine(req.timeoutMs);
        for (let j = 0; j < req.restores.length; j++) {
          restores.push(await target.readLine(req.timeoutMs));
        }
      } catch (e) {
        timedOut = e instanceof TimedOut;
        this.#drop(req, target);
        // Nothing processed yet: a stale cached connection, try a new one.
        if (restores.length === 0 && mayRetry && !timedOut) {
          mayRetry = false;
          continue;
        }
        if (writing || restores.length === 0) {
          return {
            kind: "ioerror",
            step: writing
              ? "writing to target instance"
              : "reading to target instance",
          };
        }
        return {
          kind: "replies",
          auth,
          select: selected,
          restores,
          socketError: true,
        };
      }
      target.lastUse = this.#server.clock.now();
      const failed = auth?.startsWith("-") || selected?.startsWith("-") ||
        restores.some((line) => line.startsWith("-"));
      // After an error the target's database is unknown: SELECT next time.
      target.lastDbid = failed ? -1 : req.dbid;
      return {
        kind: "replies",
        auth,
        select: selected,
        restores,
        socketError: false,
      };
    }
  }

  async #connect(req: MigrateRequest): Promise<Target | undefined> {
    const name = `${req.host}:${req.port}`;
    const cached = this.#targets.get(name);
    if (cached !== undefined) {
      cached.lastUse = this.#server.clock.now();
      return cached;
    }
    if (this.#targets.size === CACHE_ITEMS) {
      // Full: let a random one go, as Redis does.
      const names = [...this.#targets.keys()];
      const victim = names[this.#server.random.int(names.length)]!;
      this.#targets.get(victim)!.close();
      this.#targets.delete(victim);
    }
    let conn: Deno.Conn;
    try {
      conn = await withTimeout(
        Deno.connect({ hostname: req.host, port: req.port }),
        req.timeoutMs,
      );
    } catch (e) {
      // Refused at once: Redis's non-blocking connect "succeeds" and the
      // write then fails; only a connect that takes too long is reported
      // as such.
      if (e instanceof TimedOut) return undefined;
      return new DeadTarget(this.#server.clock.now());
    }
    const target = new Target(conn, this.#server.clock.now());
    this.#targets.set(name, target);
    return target;
  }

  #drop(req: MigrateRequest, target: Target): void {
    const name = `${req.host}:${req.port}`;
    if (this.#targets.get(name) === target) this.#targets.delete(name);
    target.close();
  }

  // Redis's migrateCloseTimedoutSockets.
  #closeIdle(): void {
    const now = this.#server.clock.now();
    for (const [name, target] of this.#targets) {
      if (now - target.lastUse > CACHE_TTL_MS) {
        target.close();
        this.#targets.delete(name);
      }
    }
  }
}

// A connection that was refused: every write fails, as a refused
// non-blocking socket does in Redis.
class DeadTarget extends Target {
  constructor(now: number) {
    super(undefined as unknown as Deno.Conn, now);
  }

  override write(): Promise<void> {
    return Promise.reject(new Error("connection refused"));
  }

  override close(): void {}
}
