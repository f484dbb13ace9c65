/**
 * TLS: `tls-port` beside the plain port, with certificates this test makes
 * with openssl; `tls-auth-clients` yes/no/optional, redis-cli --tls, npm
 * ioredis and redis with and without a client certificate, CONFIG SET of
 * the tls-* directives at run time, start-up errors, an encrypted key,
 * tls-protocols, and the outgoing connection a replica will use.
 *
 * The behaviour tests run against tsredis and, where it is installed,
 * against redis-server 7.0.15 (Debian's build has TLS), which checks the
 * expectations themselves.
 *
 * @module
 */
import { Redis } from "npm:ioredis@5.9.3";
import { createClient } from "npm:redis@5.9.0";
import { assert, assertEquals, assertMatch } from "../_deps.ts";
import {
  type ServerHandle,
  spawnServer,
  type Target,
} from "../_harness/spawn.ts";
import { RespClient, RespError } from "../_harness/resp_client.ts";
import {
  findExecutable,
  freePort,
  REDIS_CLI,
  REDIS_SERVER,
} from "../_harness/tools.ts";
import {
  makeTestCertificates,
  OPENSSL,
  type TestCertificates,
} from "../_harness/tls_certs.ts";
import { Config } from "../../src/config.ts";
import { connectOutgoing } from "../../src/tls.ts";

const opts = {
  sanitizeOps: false,
  sanitizeResources: false,
  ignore: OPENSSL === undefined,
};
const withCli = { ...opts, ignore: opts.ignore || REDIS_CLI === undefined };

const targets: Target[] = REDIS_SERVER === undefined
  ? ["tsredis"]
  : ["tsredis", "redis-server"];

let made: Promise<TestCertificates> | undefined;
let madeDir: string | undefined;
/** The certificates, made once for the whole file. */
function certs(): Promise<TestCertificates> {
  made ??= makeTestCertificates().then((c) => {
    madeDir = c.dir;
    return c;
  });
  return made;
}
globalThis.addEventListener("unload", () => {
  // Synchronously: nothing asynchronous runs after unload.
  if (madeDir !== undefined) Deno.removeSync(madeDir, { recursive: true });
});

/** A server with TLS on a second port. */
interface TlsServer {
  server: ServerHandle;
  tlsPort: number;
  certs: TestCertificates;
  [Symbol.asyncDispose](): Promise<void>;
}

async function startTls(
  target: Target,
  extra: string[] = [],
  settings: { ca?: boolean } = {},
): Promise<TlsServer> {
  const c = await certs();
  const tlsPort = freePort();
  const server = await spawnServer({
    target,
    args: [
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      c.server.cert,
      "--tls-key-file",
      c.server.key,
      ...(settings.ca === false ? [] : ["--tls-ca-cert-file", c.ca]),
      ...extra,
    ],
  });
  return {
    server,
    tlsPort,
    certs: c,
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

/** True when this machine can listen on ::1. */
const HAS_IPV6_LOOPBACK = (() => {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
})();

/** Retries `check` for up to two seconds until it is true. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  // A deadline, not a count of short pauses: a busy machine may need long.
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    try {
      if (await check()) return true;
    } catch {
      // Not yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The text of an error reply (fails for any other reply). */
function errorText(reply: unknown): string {
  assert(reply instanceof RespError, `not an error: ${String(reply)}`);
  return reply.message;
}

interface CliResult {
  code: number;
  out: string;
}

/** redis-cli over TLS to `port`; `cert` names the client pair to present. */
async function cli(
  port: number,
  ca: string,
  cert: { cert: string; key: string } | undefined,
  ...argv: string[]
): Promise<CliResult> {
  const args = ["-p", String(port), "--tls", "--cacert", ca];
  if (cert !== undefined) args.push("--cert", cert.cert, "--key", cert.key);
  const child = new Deno.Command(REDIS_CLI!, {
    args: [...args, ...argv],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 15000);
  const out = await child.output();
  clearTimeout(timer);
  const text = new TextDecoder();
  return {
    code: out.code,
    out: (text.decode(out.stdout) + text.decode(out.stderr)).trim(),
  };
}

/** A raw RESP client over TLS, presenting `cert` when given. */
async function tlsClient(
  port: number,
  ca: string,
  cert?: { cert: string; key: string },
): Promise<RespClient> {
  const conn = await Deno.connectTls({
    hostname: "127.0.0.1",
    port,
    caCerts: [await Deno.readTextFile(ca)],
    ...(cert === undefined ? {} : {
      cert: await Deno.readTextFile(cert.cert),
      key: await Deno.readTextFile(cert.key),
    }),
  });
  return RespClient.over(conn);
}

for (const target of targets) {
  Deno.test({
    ...withCli,
    name:
      `TLS with tls-auth-clients yes serves redis-cli with a client certificate beside the plain port, and refuses one without (${target})`,
    async fn() {
      await using s = await startTls(target);
      const { ca, client } = s.certs;
      assertEquals(
        await cli(s.tlsPort, ca, client, "set", "k", "over tls"),
        { code: 0, out: "OK" },
      );
      const plain = await s.server.connect();
      assertEquals(await plain.call("get", "k"), "over tls");
      await plain.call("set", "k2", "over tcp");
      assertEquals(
        await cli(s.tlsPort, ca, client, "get", "k2"),
        { code: 0, out: "over tcp" },
      );
      plain.close();
      const refused = await cli(s.tlsPort, ca, undefined, "ping");
      assert(refused.code !== 0, refused.out);
      assert(!refused.out.includes("PONG"), refused.out);
      // A certificate no configured CA signed is refused too.
      const stranger = await cli(s.tlsPort, ca, s.certs.stranger, "ping");
      assert(!stranger.out.includes("PONG"), stranger.out);
    },
  });

  Deno.test({
    ...withCli,
    name:
      `TLS with tls-auth-clients optional takes a client without a certificate but not one with an untrusted certificate (${target})`,
    async fn() {
      await using s = await startTls(target, [
        "--tls-auth-clients",
        "optional",
      ]);
      const { ca, client, stranger } = s.certs;
      assertEquals(await cli(s.tlsPort, ca, undefined, "ping"), {
        code: 0,
        out: "PONG",
      });
      assertEquals(await cli(s.tlsPort, ca, client, "ping"), {
        code: 0,
        out: "PONG",
      });
      const refused = await cli(s.tlsPort, ca, stranger, "ping");
      assert(!refused.out.includes("PONG"), refused.out);
    },
  });

  Deno.test({
    ...withCli,
    name:
      `TLS with tls-auth-clients no needs no CA and asks for no certificate; CONFIG SET switches it for new clients (${target})`,
    async fn() {
      {
        await using s = await startTls(target, ["--tls-auth-clients", "no"], {
          ca: false,
        });
        assertEquals(
          await cli(s.tlsPort, s.certs.ca, undefined, "ping"),
          { code: 0, out: "PONG" },
        );
      }
      await using s = await startTls(target);
      const { ca, client } = s.certs;
      const plain = await s.server.connect();
      assertEquals(
        await plain.call("config", "set", "tls-auth-clients", "no"),
        "OK",
      );
      assertEquals(await cli(s.tlsPort, ca, undefined, "ping"), {
        code: 0,
        out: "PONG",
      });
      assertEquals(
        await plain.call("config", "set", "tls-auth-clients", "yes"),
        "OK",
      );
      const refused = await cli(s.tlsPort, ca, undefined, "ping");
      assert(!refused.out.includes("PONG"), refused.out);
      assertEquals(await cli(s.tlsPort, ca, client, "ping"), {
        code: 0,
        out: "PONG",
      });
      assertEquals(
        await plain.call("config", "get", "tls-auth-clients"),
        ["tls-auth-clients", "yes"],
      );
      plain.close();
    },
  });

  Deno.test({
    ...withCli,
    name:
      `CONFIG SET tls-port moves the TLS listener, keeps its clients, and 0 closes it (${target})`,
    async fn() {
      await using s = await startTls(target);
      const { ca, client } = s.certs;
      const kept = await tlsClient(s.tlsPort, ca, client);
      assertEquals(await kept.call("ping"), "PONG");
      const plain = await s.server.connect();
      const next = freePort();
      assertEquals(
        await plain.call("config", "set", "tls-port", String(next)),
        "OK",
      );
      assertEquals(await cli(next, ca, client, "ping"), {
        code: 0,
        out: "PONG",
      });
      const old = await cli(s.tlsPort, ca, client, "ping");
      assert(!old.out.includes("PONG"), old.out);
      assertEquals(await kept.call("ping"), "PONG");
      // A port that is taken is refused with Redis's text.
      const busy = Deno.listen({ hostname: "127.0.0.1", port: freePort() });
      const taken = await plain.call(
        "config",
        "set",
        "tls-port",
        String(busy.addr.port),
      );
      busy.close();
      assertEquals(
        errorText(taken),
        "ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to listen on this port. Check server logs.",
      );
      assertEquals(await plain.call("config", "get", "tls-port"), [
        "tls-port",
        String(next),
      ]);
      assertEquals(await plain.call("config", "set", "tls-port", "0"), "OK");
      const closed = await cli(next, ca, client, "ping");
      assert(!closed.out.includes("PONG"), closed.out);
      assertEquals(await kept.call("ping"), "PONG");
      kept.close();
      plain.close();
    },
  });

  Deno.test({
    ...withCli,
    name:
      `CONFIG SET of tls-* files reloads the certificates for new clients, and a bad file is refused leaving TLS as it was (${target})`,
    async fn() {
      await using s = await startTls(target);
      const c = s.certs;
      const plain = await s.server.connect();
      const missing = await plain.call(
        "config",
        "set",
        "tls-cert-file",
        `${c.dir}/no-such.crt`,
      );
      assertEquals(
        errorText(missing),
        "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
      );
      assertEquals(await plain.call("config", "get", "tls-cert-file"), [
        "tls-cert-file",
        c.server.cert,
      ]);
      const protocols = await plain.call(
        "config",
        "set",
        "tls-protocols",
        "SSLv3",
      );
      assertMatch(
        errorText(protocols),
        /argument 'tls-protocols'\) - Unable to update TLS configuration/,
      );
      assertEquals(await cli(s.tlsPort, c.ca, c.client, "ping"), {
        code: 0,
        out: "PONG",
      });
      assertEquals(
        await plain.call(
          "config",
          "set",
          "tls-cert-file",
          c.server2.cert,
          "tls-key-file",
          c.server2.key,
          "tls-ca-cert-file",
          c.ca2,
        ),
        "OK",
      );
      assertEquals(await cli(s.tlsPort, c.ca2, c.client2, "ping"), {
        code: 0,
        out: "PONG",
      });
      // The old CA no longer vouches for the server, nor the new CA for
      // the old client certificate.
      const oldCa = await cli(s.tlsPort, c.ca, c.client, "ping");
      assert(!oldCa.out.includes("PONG"), oldCa.out);
      const oldClient = await cli(s.tlsPort, c.ca2, c.client, "ping");
      assert(!oldClient.out.includes("PONG"), oldClient.out);
      plain.close();
    },
  });

  Deno.test({
    ...opts,
    ignore: opts.ignore || !HAS_IPV6_LOOPBACK,
    name:
      `CONFIG SET bind moves the TLS listener with the TCP ones, from specific addresses to wildcards and back (${target})`,
    async fn() {
      await using s = await startTls(target);
      const { ca, client } = s.certs;
      const plain = await s.server.connect();
      // Every check is retried briefly: tsredis binds a wildcard over an
      // address it leaves a moment after replying (see Server).
      const serves = (host: string, port: number, tls: boolean) =>
        eventually(async () => {
          const c = tls
            ? RespClient.over(
              await Deno.connectTls({
                hostname: host,
                port,
                caCerts: [await Deno.readTextFile(ca)],
                cert: await Deno.readTextFile(client.cert),
                key: await Deno.readTextFile(client.key),
              }),
            )
            : await RespClient.connect(port, host);
          try {
            return await c.call("ping") === "PONG";
          } finally {
            c.close();
          }
        });
      const ports = [[s.server.port, false], [s.tlsPort, true]] as const;
      assertEquals(
        await plain.call("config", "set", "bind", "127.0.0.1 ::1"),
        "OK",
      );
      for (const [port, tls] of ports) {
        assertEquals(await serves("::1", port, tls), true);
        assertEquals(await serves("127.0.0.1", port, tls), true);
      }
      const bad = await plain.call(
        "config",
        "set",
        "bind",
        "127.0.0.1 192.0.2.123",
      );
      assertEquals(
        errorText(bad),
        "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.",
      );
      for (const [port, tls] of ports) {
        assertEquals(await serves("::1", port, tls), true);
      }
      assertEquals(await plain.call("config", "set", "bind", "* -::*"), "OK");
      for (const [port, tls] of ports) {
        assertEquals(await serves("::1", port, tls), true);
        assertEquals(await serves("127.0.0.1", port, tls), true);
      }
      const local = await RespClient.connect(s.server.port);
      assertEquals(await local.call("config", "set", "bind", "::1"), "OK");
      for (const [port, tls] of ports) {
        assertEquals(await serves("::1", port, tls), true);
        assertEquals(
          await eventually(async () => {
            try {
              await Deno.connect({ hostname: "127.0.0.1", port }).then((c) =>
                c.close()
              );
              return false;
            } catch {
              return true;
            }
          }),
          true,
        );
      }
      local.close();
      plain.close();
    },
  });

  Deno.test({
    ...opts,
    name:
      `TLS start-up without a certificate, or without a CA while clients must authenticate, exits with Redis's lines (${target})`,
    async fn() {
      const c = await certs();
      const noCert = await spawnServer({
        target,
        noWait: true,
        args: ["--tls-port", String(freePort())],
      });
      assertEquals((await noCert.exited).code, 1);
      assertMatch(
        noCert.output(),
        /No tls-cert-file configured!\n.*Failed to configure TLS\. Check logs for more info\./,
      );
      const noCa = await spawnServer({
        target,
        noWait: true,
        args: [
          "--tls-port",
          String(freePort()),
          "--tls-cert-file",
          c.server.cert,
          "--tls-key-file",
          c.server.key,
        ],
      });
      assertEquals((await noCa.exited).code, 1);
      assertMatch(
        noCa.output(),
        /Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!\n.*Failed to configure TLS/,
      );
      const wrongPass = await spawnServer({
        target,
        noWait: true,
        args: [
          "--tls-port",
          String(freePort()),
          "--tls-cert-file",
          c.server.cert,
          "--tls-key-file",
          c.encryptedServerKey,
          "--tls-key-file-pass",
          "wrong",
          "--tls-ca-cert-file",
          c.ca,
        ],
      });
      assertEquals((await wrongPass.exited).code, 1);
      assertMatch(
        wrongPass.output(),
        /Failed to load private key: .*server_encrypted\.key: /,
      );
      const busy = Deno.listen({ hostname: "127.0.0.1", port: freePort() });
      const taken = await spawnServer({
        target,
        noWait: true,
        args: [
          "--tls-port",
          String(busy.addr.port),
          "--tls-cert-file",
          c.server.cert,
          "--tls-key-file",
          c.server.key,
          "--tls-ca-cert-file",
          c.ca,
        ],
      });
      assertEquals((await taken.exited).code, 1);
      busy.close();
      assertMatch(
        taken.output(),
        new RegExp(
          `Could not create server TCP listening socket 127\\.0\\.0\\.1:${busy.addr.port}: .*\\n.*Failed listening on port ${busy.addr.port} \\(TLS\\), aborting\\.`,
        ),
      );
    },
  });

  Deno.test({
    ...withCli,
    name:
      `TLS with an encrypted key and tls-key-file-pass, and with the CAs from tls-ca-cert-dir (${target})`,
    async fn() {
      const c = await certs();
      const caDir = `${c.dir}/ca-dir-${target}`;
      await Deno.mkdir(caDir);
      await Deno.copyFile(c.ca, `${caDir}/ca.pem`);
      // OpenSSL finds CAs in a directory by subject hash names.
      const hash = await new Deno.Command(OPENSSL!, {
        args: ["x509", "-hash", "-noout", "-in", c.ca],
        stdout: "piped",
      }).output();
      await Deno.symlink(
        `${caDir}/ca.pem`,
        `${caDir}/${new TextDecoder().decode(hash.stdout).trim()}.0`,
      );
      await using s = await startTls(target, [
        "--tls-key-file",
        c.encryptedServerKey,
        "--tls-key-file-pass",
        c.keyPass,
        "--tls-ca-cert-dir",
        caDir,
      ], { ca: false });
      assertEquals(await cli(s.tlsPort, c.ca, c.client, "ping"), {
        code: 0,
        out: "PONG",
      });
      const refused = await cli(s.tlsPort, c.ca, c.stranger, "ping");
      assert(!refused.out.includes("PONG"), refused.out);
    },
  });

  Deno.test({
    ...opts,
    name:
      `tls-protocols TLSv1.3 refuses a TLSv1.2 handshake and takes a TLSv1.3 one (${target})`,
    async fn() {
      await using s = await startTls(target, [
        "--tls-protocols",
        "TLSv1.3",
        "--tls-auth-clients",
        "no",
      ]);
      // s_client -brief prints "CONNECTION ESTABLISHED" and the version
      // only for a handshake that succeeded.
      const handshake = async (version: string) => {
        const out = await new Deno.Command(OPENSSL!, {
          args: [
            "s_client",
            "-brief",
            "-connect",
            `127.0.0.1:${s.tlsPort}`,
            `-${version}`,
            "-CAfile",
            s.certs.ca,
          ],
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder();
        return text.decode(out.stdout) + text.decode(out.stderr);
      };
      assertMatch(await handshake("tls1_3"), /Protocol version: TLSv1\.3/);
      const old = await handshake("tls1_2");
      assert(!old.includes("CONNECTION ESTABLISHED"), old);
    },
  });

  Deno.test({
    ...opts,
    name:
      `CLIENT LIST over TLS shows the peer and the TLS port, and big values cross intact (${target})`,
    async fn() {
      await using s = await startTls(target);
      const c = await tlsClient(s.tlsPort, s.certs.ca, s.certs.client);
      const info = String(await c.call("client", "info"));
      assertMatch(
        info,
        new RegExp(
          `^id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${s.tlsPort} fd=\\d+ name= .* flags=N `,
        ),
      );
      // Several MB each way: partial reads and writes, and backpressure.
      const big = "x".repeat(3 * 1024 * 1024) + "end";
      const replies = await c.pipeline([
        ["set", "big", big],
        ["get", "big"],
        ["strlen", "big"],
      ]);
      assertEquals(replies[0], "OK");
      assertEquals(replies[1] === big, true);
      assertEquals(replies[2], big.length);
      const many: string[][] = [];
      for (let i = 0; i < 5000; i++) many.push(["incr", "n"]);
      const counts = await c.pipeline(many);
      assertEquals(counts.at(-1), 5000);
      c.close();
    },
  });

  Deno.test({
    ...opts,
    name:
      `npm ioredis connects over TLS with a client certificate, and without one when tls-auth-clients is no (${target})`,
    async fn() {
      await using s = await startTls(target);
      const c = s.certs;
      const read = (f: string) => Deno.readTextFileSync(f);
      const base = {
        host: "127.0.0.1",
        port: s.tlsPort,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      };
      const withCert = new Redis({
        ...base,
        tls: {
          ca: read(c.ca),
          cert: read(c.client.cert),
          key: read(c.client.key),
        },
      });
      await withCert.connect();
      assertEquals(await withCert.set("io", "redis"), "OK");
      assertEquals(await withCert.get("io"), "redis");
      const pipe = await withCert.pipeline().incr("n").incr("n").exec();
      assertEquals(pipe?.map(([, v]) => v), [1, 2]);
      assertEquals(
        await withCert.config("SET", "tls-auth-clients", "no"),
        "OK",
      );
      const without = new Redis({ ...base, tls: { ca: read(c.ca) } });
      await without.connect();
      assertEquals(await without.get("io"), "redis");
      without.disconnect();
      withCert.disconnect();
    },
  });

  Deno.test({
    ...opts,
    name:
      `npm redis (node-redis) connects over TLS with a client certificate, and without one when tls-auth-clients is optional (${target})`,
    async fn() {
      await using s = await startTls(target, [
        "--tls-auth-clients",
        "optional",
      ]);
      const c = s.certs;
      const read = (f: string) => Deno.readTextFileSync(f);
      const socket = {
        host: "127.0.0.1",
        port: s.tlsPort,
        tls: true as const,
        ca: read(c.ca),
        reconnectStrategy: false as const,
      };
      const withCert = createClient({
        socket: {
          ...socket,
          cert: read(c.client.cert),
          key: read(c.client.key),
        },
      });
      withCert.on("error", () => {});
      await withCert.connect();
      assertEquals(await withCert.set("node", "redis"), "OK");
      assertEquals(await withCert.get("node"), "redis");
      const without = createClient({ socket, RESP: 3 });
      without.on("error", () => {});
      await without.connect();
      assertEquals(await without.get("node"), "redis");
      assertEquals(await without.hSet("h", { a: "1" }), 1);
      assertEquals({ ...await without.hGetAll("h") }, { a: "1" });
      await without.close();
      await withCert.close();
    },
  });

  Deno.test({
    ...opts,
    name:
      `connectOutgoing (the replication link) reaches a TLS port with tls-replication, with and without bind-source-addr (${target})`,
    async fn() {
      await using s = await startTls(target);
      const c = s.certs;
      const config = new Config();
      config.setMany([
        ["tls-replication", "yes"],
        ["tls-cert-file", c.server.cert],
        ["tls-key-file", c.server.key],
        ["tls-client-cert-file", c.client.cert],
        ["tls-client-key-file", c.client.key],
        ["tls-ca-cert-file", c.ca],
      ], { startup: true });
      const direct = RespClient.over(
        await connectOutgoing(config, "127.0.0.1", s.tlsPort),
      );
      assertEquals(await direct.call("ping"), "PONG");
      direct.close();
      config.set("bind-source-addr", "127.0.0.1", { startup: true });
      const bound = RespClient.over(
        await connectOutgoing(config, "127.0.0.1", s.tlsPort),
      );
      assertEquals(await bound.call("set", "src", "ok"), "OK");
      assertMatch(
        String(await bound.call("client", "info")),
        /addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ /,
      );
      bound.close();
      // Plain, from the source address, to the ordinary port.
      const tcp = RespClient.over(
        await connectOutgoing(config, "127.0.0.1", s.server.port, {
          tls: false,
        }),
      );
      assertEquals(await tcp.call("get", "src"), "ok");
      tcp.close();
    },
  });
}

Deno.test({
  ...opts,
  ignore: opts.ignore || findExecutable("redis-cli") === undefined,
  name:
    "TLS handshake failures are logged as Redis logs them and the server goes on",
  async fn() {
    await using s = await startTls("tsredis");
    // Plain text at the TLS port, then a proper client.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.tlsPort });
    await conn.write(new TextEncoder().encode("PING\r\n"));
    const buf = new Uint8Array(100);
    await conn.read(buf).catch(() => null);
    conn.close();
    const c = await tlsClient(s.tlsPort, s.certs.ca, s.certs.client);
    assertEquals(await c.call("ping"), "PONG");
    c.close();
    assertMatch(s.server.output(), /# Error accepting a client connection: /);
  },
});
