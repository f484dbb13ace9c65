import { assertEquals } from "../tests/_deps.ts";
import { osMessage, peerAddresses } from "./listeners.ts";

function fakeConn(local: Deno.Addr, remote: Deno.Addr): Deno.Conn {
  return { localAddr: local, remoteAddr: remote } as unknown as Deno.Conn;
}

Deno.test("peerAddresses shows TCP peers as ip:port and IPv6 in brackets", () => {
  assertEquals(
    peerAddresses(fakeConn(
      { transport: "tcp", hostname: "127.0.0.1", port: 6379 },
      { transport: "tcp", hostname: "127.0.0.1", port: 51234 },
    )),
    { addr: "127.0.0.1:51234", laddr: "127.0.0.1:6379", unix: false },
  );
  assertEquals(
    peerAddresses(fakeConn(
      { transport: "tcp", hostname: "::1", port: 6379 },
      { transport: "tcp", hostname: "::1", port: 40000 },
    )),
    { addr: "[::1]:40000", laddr: "[::1]:6379", unix: false },
  );
});

Deno.test("peerAddresses unmaps IPv4 peers of a dual-stack socket", () => {
  assertEquals(
    peerAddresses(fakeConn(
      { transport: "tcp", hostname: "::ffff:10.0.0.2", port: 6379 },
      { transport: "tcp", hostname: "::ffff:10.0.0.1", port: 50000 },
    )).addr,
    "10.0.0.1:50000",
  );
});

Deno.test("peerAddresses shows a unix socket client as <socket path>:0 on both ends", () => {
  assertEquals(
    peerAddresses(fakeConn(
      { transport: "unix", path: "/tmp/redis.sock" },
      { transport: "unix", path: null as unknown as string },
    )),
    { addr: "/tmp/redis.sock:0", laddr: "/tmp/redis.sock:0", unix: true },
  );
});

Deno.test("osMessage strips Deno's os error suffix, leaving strerror's text", () => {
  assertEquals(
    osMessage(new Error("No such file or directory (os error 2)")),
    "No such file or directory",
  );
  assertEquals(osMessage(new Error("plain")), "plain");
});
