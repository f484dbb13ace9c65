/**
 * High availability with the real Redis Sentinel 7.0: three sentinels
 * watch a tsredis master with two tsredis replicas. They discover the
 * replicas from INFO and each other over `__sentinel__:hello`; when the
 * master is killed they promote a replica (MULTI, SLAVEOF NO ONE, CONFIG
 * REWRITE, CLIENT KILL, EXEC), repoint the other one, and turn the old
 * master into a replica when it comes back. Writes acknowledged by a
 * replica (WAIT) survive, and an ioredis client configured with the
 * sentinels keeps working across the failover.
 *
 * Ignored when redis-sentinel is not installed.
 *
 * @module
 */
import { Redis } from "npm:ioredis@5.9.3";
import { assert, assertEquals } from "../_deps.ts";
import { RespClient, type RespValue } from "../_harness/resp_client.ts";
import { findExecutable, freePort } from "../_harness/tools.ts";

const SENTINEL = findExecutable("redis-sentinel");
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A process we started, with its output. */
interface Proc {
  readonly port: number;
  readonly child: Deno.ChildProcess;
  output(): string;
}

async function launch(
  command: string,
  args: string[],
  port: number,
  ready: string,
): Promise<Proc> {
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  let resolveReady!: () => void;
  const isReady = new Promise<void>((r) => (resolveReady = r));
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      for await (const chunk of stream) {
        output += decoder.decode(chunk, { stream: true });
        if (output.length > 400_000) output = output.slice(-200_000);
        if (output.includes(ready)) resolveReady();
      }
    })().catch(() => {});
  }
  const timer = setTimeout(() => resolveReady(), 30_000);
  await isReady;
  clearTimeout(timer);
  if (!output.includes(ready)) {
    throw new Error(`${command} did not start:\n${output}`);
  }
  return { port, child, output: () => output };
}

/** tsredis from a config file (CONFIG REWRITE has a file to rewrite). */
function startTsredis(conf: string, port: number): Promise<Proc> {
  const bin = Deno.env.get("TSREDIS_BIN");
  return launch(
    bin ?? Deno.execPath(),
    bin !== undefined ? [conf] : ["run", "--allow-all", MAIN, conf],
    port,
    "Ready to accept connections",
  );
}

async function stop(p: Proc, signal: Deno.Signal = "SIGTERM"): Promise<void> {
  try {
    p.child.kill(signal);
  } catch { /* gone */ }
  await p.child.status;
}

async function call(port: number, ...argv: (string | number)[]) {
  const c = await RespClient.connect(port);
  try {
    return await c.call(...argv);
  } finally {
    c.close();
  }
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms = 30000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function field(list: RespValue, name: string): string | undefined {
  const a = list as string[];
  const i = a.indexOf(name);
  return i < 0 ? undefined : a[i + 1];
}

Deno.test({
  name:
    "redis-sentinel fails a tsredis master over to a replica; acknowledged writes survive; the old master rejoins as a replica; ioredis follows",
  ignore: SENTINEL === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tsredis-sentinel-" });
    const procs: Proc[] = [];
    let client: Redis | undefined;
    try {
      // Three tsredis servers, each with its own config file.
      const ports = [freePort(), freePort(), freePort()];
      const confs: string[] = [];
      for (const [i, port] of ports.entries()) {
        await Deno.mkdir(`${dir}/n${i}`);
        const conf = `${dir}/n${i}/redis.conf`;
        await Deno.writeTextFile(
          conf,
          [
            `port ${port}`,
            "bind 127.0.0.1",
            `dir ${dir}/n${i}`,
            'save ""',
            "repl-diskless-sync-delay 0",
            "repl-ping-replica-period 1",
            "repl-timeout 5",
            ...(i === 0 ? [] : [`replicaof 127.0.0.1 ${ports[0]}`]),
            "",
          ].join("\n"),
        );
        confs.push(conf);
        procs.push(await startTsredis(conf, port));
      }
      const [m0] = ports as [number, number, number];
      await waitFor(
        "both replicas online",
        async () =>
          /connected_slaves:2/.test(
            String(await call(m0, "INFO", "replication")),
          ),
      );
      // Three sentinels, quorum 2.
      const sentinels: number[] = [];
      for (let i = 0; i < 3; i++) {
        const port = freePort();
        await Deno.mkdir(`${dir}/s${i}`);
        const conf = `${dir}/s${i}/sentinel.conf`;
        await Deno.writeTextFile(
          conf,
          [
            `port ${port}`,
            "bind 127.0.0.1",
            `dir ${dir}/s${i}`,
            `sentinel monitor mymaster 127.0.0.1 ${m0} 2`,
            // Not lower: on a loaded 2-core CI machine a busy second made a
            // sentinel fail the new master over again.
            "sentinel down-after-milliseconds mymaster 2000",
            "sentinel failover-timeout mymaster 4000",
            "sentinel parallel-syncs mymaster 1",
            "",
          ].join("\n"),
        );
        procs.push(await launch(SENTINEL!, [conf], port, "+monitor master"));
        sentinels.push(port);
      }
      await waitFor(
        "the sentinels to find the replicas and each other",
        async () => {
          for (const s of sentinels) {
            const master = await call(s, "SENTINEL", "MASTER", "mymaster");
            if (field(master, "num-slaves") !== "2") return false;
            if (field(master, "num-other-sentinels") !== "2") return false;
          }
          return true;
        },
      );
      const replicas = await call(
        sentinels[0]!,
        "SENTINEL",
        "REPLICAS",
        "mymaster",
      ) as RespValue[];
      assertEquals(
        replicas.map((r) => Number(field(r, "port"))).sort(),
        ports.slice(1).sort(),
      );
      for (const r of replicas) {
        assertEquals(field(r, "master-link-status"), "ok");
        assertEquals(field(r, "role-reported"), "slave");
      }

      // An ioredis client that asks the sentinels where the master is.
      client = new Redis({
        sentinels: sentinels.map((port) => ({ host: "127.0.0.1", port })),
        name: "mymaster",
        sentinelRetryStrategy: () => 100,
        retryStrategy: () => 100,
      });
      // Connection errors while the master is down are expected.
      client.on("error", () => {});
      for (let i = 0; i < 200; i++) await client.set(`before:${i}`, `v${i}`);
      // Acknowledged by both replicas.
      assertEquals(await client.call("WAIT", 2, 5000), 2);

      // The master dies.
      await stop(procs[0]!, "SIGKILL");
      const started = Date.now();
      let promoted = 0;
      await waitFor("a failover", async () => {
        const addr = await call(
          sentinels[0]!,
          "SENTINEL",
          "GET-MASTER-ADDR-BY-NAME",
          "mymaster",
        ) as string[];
        promoted = Number(addr[1]);
        return promoted !== m0;
      });
      const failoverMs = Date.now() - started;
      assert(ports.includes(promoted));
      // Where the sentinels say the master is now (a second failover would
      // move it again: what is checked is that tsredis follows).
      const currentMaster = async () =>
        Number(
          (await call(
            sentinels[0]!,
            "SENTINEL",
            "GET-MASTER-ADDR-BY-NAME",
            "mymaster",
          ) as string[])[1],
        );
      let other = 0;
      await waitFor("the new master to have the other replica", async () => {
        promoted = await currentMaster();
        other = ports.find((p) => p !== m0 && p !== promoted)!;
        const role = await call(promoted, "ROLE") as RespValue[];
        return role[0] === "master" &&
          (role[2] as string[][]).some((r) => Number(r[1]) === other);
      });
      const role = await call(other, "ROLE") as RespValue[];
      assertEquals(role.slice(0, 3), ["slave", "127.0.0.1", promoted]);
      // Every acknowledged write is there.
      for (let i = 0; i < 200; i += 17) {
        assertEquals(await call(promoted, "GET", `before:${i}`), `v${i}`);
      }
      assertEquals(await call(promoted, "DBSIZE"), 200);
      // CONFIG REWRITE recorded the new roles in the files.
      const promotedConf = await Deno.readTextFile(
        confs[ports.indexOf(promoted)]!,
      );
      assert(!/^replicaof /m.test(promotedConf), promotedConf);
      const otherConf = await Deno.readTextFile(confs[ports.indexOf(other)]!);
      assert(
        otherConf.includes(`replicaof 127.0.0.1 ${promoted}`),
        otherConf,
      );

      // ioredis found the new master.
      await waitFor("ioredis to write to the new master", async () => {
        await client!.set("after", "yes");
        return await call(promoted, "GET", "after") === "yes";
      });
      assertEquals(await client.get("before:0"), "v0");

      // The old master comes back and is turned into a replica.
      procs[0] = await startTsredis(confs[0]!, m0);
      await waitFor("the old master to rejoin as a replica", async () => {
        const master = await currentMaster();
        const r = await call(m0, "ROLE") as RespValue[];
        return r[0] === "slave" && r[2] === master && r[3] === "connected";
      }, 40000).catch((e) => {
        for (const p of procs) console.log(p.port, p.output().slice(-2500));
        throw e;
      });
      await waitFor(
        "the old master to catch up",
        async () => await call(m0, "GET", "after") === "yes",
      );
      assertEquals(await call(m0, "DBSIZE"), 201);
      console.log(`failover took ${failoverMs} ms`);
    } finally {
      client?.disconnect();
      for (const p of procs.reverse()) await stop(p);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
