/**
 * `tsredis cli` (also `deno task cli`): a small redis-cli.
 *
 *   tsredis cli [-h host] [-p port] [-a password] [--user name] [-n db] [-3]
 *               [--raw | --no-raw] [command [arg ...]]
 *
 * With a command it runs it once, prints the reply and exits non-zero on an
 * error reply. Without one it is interactive on a terminal (prompt
 * `host:port[db]>`, history, redis-cli quoting), or runs the lines piped to
 * its standard input.
 *
 * @module
 */
import { splitInline } from "../protocol/decoder.ts";
import { latin1ToBytes, utf8ToLatin1 } from "../util/bytes.ts";
import { CliConnection } from "./connection.ts";
import { formatHuman, formatRaw } from "./format.ts";
import { LineEditor } from "./line_editor.ts";
import type { CliReply } from "./reply.ts";

interface CliOptions {
  host: string;
  port: number;
  password: string | undefined;
  user: string | undefined;
  db: number;
  resp3: boolean;
  raw: boolean;
  command: string[];
}

const USAGE = `Usage: tsredis cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -a <password>      Password to use when connecting to the server.
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  -n <db>            Database number.
  -3                 Start session in RESP3 protocol mode.
  --raw              Use raw formatting for replies (default when STDOUT is
                     not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --help             Output this help and exit.
`;

const encoder = new TextEncoder();

function parseOptions(args: readonly string[]): CliOptions | string {
  const opts: CliOptions = {
    host: "127.0.0.1",
    port: 6379,
    password: undefined,
    user: undefined,
    db: 0,
    resp3: false,
    raw: !Deno.stdout.isTerminal(),
    command: [],
  };
  let i = 0;
  const value = (flag: string): string => {
    const v = args[++i];
    if (v === undefined) throw new Error(`Missing value for ${flag}`);
    return v;
  };
  try {
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-h") opts.host = value(a);
      else if (a === "-p") opts.port = Number(value(a));
      else if (a === "-a") opts.password = value(a);
      else if (a === "--user") opts.user = value(a);
      else if (a === "-n") opts.db = Number(value(a));
      else if (a === "-3") opts.resp3 = true;
      else if (a === "-2") opts.resp3 = false;
      else if (a === "--raw") opts.raw = true;
      else if (a === "--no-raw") opts.raw = false;
      else if (a === "--help") return USAGE;
      else if (
        a.startsWith("-") && opts.command.length === 0 && !/^-\d/.test(a)
      ) {
        return `Unrecognized option or bad number of args for: '${a}'\n`;
      } else {
        opts.command = args.slice(i).map(utf8ToLatin1);
        break;
      }
    }
  } catch (e) {
    return `${(e as Error).message}\n`;
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) {
    return "Invalid port\n";
  }
  return opts;
}

function print(text: string, raw: boolean): void {
  // Raw output is the reply's bytes as they are; the human form is ASCII.
  Deno.stdout.writeSync(
    raw ? latin1ToBytes(text + "\n") : encoder.encode(text + "\n"),
  );
}

function show(reply: CliReply, raw: boolean): void {
  print(raw ? formatRaw(reply) : formatHuman(reply), raw);
}

/** Session state the prompt reflects. */
class Session {
  conn: CliConnection | undefined;
  db: number;
  readonly opts: CliOptions;

  constructor(opts: CliOptions) {
    this.opts = opts;
    this.db = opts.db;
  }

  get prompt(): string {
    if (this.conn === undefined) return "not connected> ";
    return `${this.opts.host}:${this.opts.port}${
      this.db === 0 ? "" : `[${this.db}]`
    }> `;
  }

  /** Connects and sends AUTH/HELLO/SELECT as the options ask. Returns an error text. */
  async connect(): Promise<string | undefined> {
    try {
      this.conn = await CliConnection.open(this.opts.host, this.opts.port);
    } catch (e) {
      this.conn = undefined;
      return `Could not connect to Redis at ${this.opts.host}:${this.opts.port}: ${
        (e as Error).message
      }`;
    }
    const setup: string[][] = [];
    if (this.opts.password !== undefined) {
      setup.push(
        this.opts.user === undefined
          ? ["AUTH", this.opts.password]
          : ["AUTH", this.opts.user, this.opts.password],
      );
    }
    if (this.opts.resp3) setup.push(["HELLO", "3"]);
    if (this.db !== 0) setup.push(["SELECT", String(this.db)]);
    for (const argv of setup) {
      const reply = await this.conn.call(argv);
      if (reply?.type === "error") return formatHuman(reply);
    }
    return undefined;
  }

  /** Runs one command and prints its reply (and any streamed replies). Returns false on an error reply. */
  async run(argv: string[]): Promise<boolean> {
    if (this.conn === undefined) {
      const error = await this.connect();
      if (error !== undefined) {
        print(error, false);
        return false;
      }
    }
    const conn = this.conn!;
    const name = argv[0]!.toLowerCase();
    const reply = await conn.call(argv);
    if (reply === undefined) {
      this.conn = undefined;
      // As redis-cli: a server that closes after SHUTDOWN did as asked.
      if (name === "shutdown") return true;
      print("Error: Server closed the connection", false);
      return false;
    }
    show(reply, this.opts.raw);
    if (reply.type === "error") return false;
    if (name === "select") this.db = Number(argv[1]);
    if (["subscribe", "psubscribe", "ssubscribe", "monitor"].includes(name)) {
      await this.stream(conn, argv.length - 2);
    }
    return true;
  }

  // Subscribed or monitoring: print everything the server sends until it closes.
  async stream(
    conn: CliConnection,
    pendingConfirmations: number,
  ): Promise<void> {
    for (let i = 0; i < pendingConfirmations; i++) {
      const r = await conn.read();
      if (r === undefined) return;
      show(r, this.opts.raw);
    }
    if (!this.opts.raw) {
      print("Reading messages... (press Ctrl-C to quit)", false);
    }
    for (;;) {
      const r = await conn.read();
      if (r === undefined) return;
      show(r, this.opts.raw);
    }
  }
}

function words(line: string): string[] | undefined {
  return splitInline(utf8ToLatin1(line));
}

/** Runs the CLI with its arguments; returns the exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args);
  if (typeof parsed === "string") {
    Deno.stderr.writeSync(encoder.encode(parsed));
    return parsed === USAGE ? 0 : 1;
  }
  const session = new Session(parsed);
  const error = await session.connect();
  if (parsed.command.length > 0) {
    if (error !== undefined) {
      print(error, false);
      return 1;
    }
    const ok = await session.run(parsed.command);
    session.conn?.close();
    return ok ? 0 : 1;
  }
  if (error !== undefined) print(error, false);
  let failures = 0;
  if (Deno.stdin.isTerminal()) {
    const home = Deno.env.get("HOME");
    const editor = new LineEditor(
      home === undefined ? undefined : `${home}/.tsredis_history`,
    );
    for (;;) {
      const line = await editor.readLine(session.prompt);
      if (line === undefined) break;
      const argv = words(line);
      if (argv === undefined) {
        print("Invalid argument(s)", false);
        continue;
      }
      if (argv.length === 0) continue;
      editor.remember(line);
      const name = argv[0]!.toLowerCase();
      if (name === "quit" || name === "exit") break;
      if (name === "clear") {
        Deno.stdout.writeSync(encoder.encode("\x1b[H\x1b[2J"));
        continue;
      }
      await session.run(argv);
    }
  } else {
    // Lines piped in: run each in order, like redis-cli.
    const input = await new Response(Deno.stdin.readable).text();
    for (const line of input.split("\n")) {
      const argv = words(line.replace(/\r$/, ""));
      if (argv === undefined) {
        print("Invalid argument(s)", false);
        failures++;
        continue;
      }
      if (argv.length === 0) continue;
      const name = argv[0]!.toLowerCase();
      if (name === "quit" || name === "exit") break;
      if (!await session.run(argv)) failures++;
    }
  }
  session.conn?.close();
  return failures > 0 ? 1 : 0;
}
