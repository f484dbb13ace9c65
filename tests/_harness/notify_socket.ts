/**
 * Plays systemd's notify socket for tests: `startNotifySocket()` binds a
 * unix datagram socket (in a child `deno` process, since datagram sockets
 * need `--unstable-net`, which the test runner does not have) and collects
 * every message sent to it, as systemd would receive them.
 *
 * Run directly (`deno run --unstable-net -A notify_socket.ts <path>`), it
 * prints `bound` once listening, then each datagram as a JSON string line.
 *
 * @module
 */

/** A notify socket that records what it receives. */
export interface NotifySocket {
  /** The path to put in NOTIFY_SOCKET. */
  readonly path: string;
  /** The datagrams received so far, in order. */
  readonly messages: string[];
  /** Resolves once a message equal to `message` has arrived (rejects after `ms`). */
  waitFor(message: string, ms?: number): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Binds a notify socket in a fresh temp dir. */
export async function startNotifySocket(): Promise<NotifySocket> {
  const dir = await Deno.makeTempDir({ prefix: "tsredis-notify-" });
  const path = `${dir}/notify`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-net",
      "--allow-all",
      new URL(import.meta.url).pathname,
      path,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const messages: string[] = [];
  let wake: () => void = () => {};
  let bound!: () => void;
  const ready = new Promise<void>((r) => (bound = r));
  const lines = child.stdout.pipeThrough(new TextDecoderStream());
  const reading = (async () => {
    let buf = "";
    for await (const chunk of lines) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === "bound") bound();
        else messages.push(JSON.parse(line));
        wake();
      }
    }
  })();
  await ready;
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Exited already.
    }
    await child.status;
    await reading.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  };
  return {
    path,
    messages,
    async waitFor(message: string, ms = 20000) {
      const deadline = Date.now() + ms;
      while (!messages.includes(message)) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `No ${JSON.stringify(message)} in ${JSON.stringify(messages)}`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

if (import.meta.main) {
  const path = Deno.args[0]!;
  const socket = Deno.listenDatagram({ transport: "unixpacket", path });
  console.log("bound");
  const decoder = new TextDecoder();
  for await (const [data] of socket) {
    console.log(JSON.stringify(decoder.decode(data)));
  }
}
