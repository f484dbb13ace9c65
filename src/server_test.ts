import { assertEquals } from "../tests/_deps.ts";
import { Config } from "./config.ts";
import { isLoopback, protectedModeRefuses } from "./server.ts";
import { ServerState } from "./state.ts";
import { aclOf } from "./acl/acl.ts";

Deno.test("isLoopback accepts 127.0.0.0/8, ::1 and IPv4-mapped loopback only", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
    assertEquals(isLoopback(host), true, host);
  }
  for (const host of ["10.0.0.1", "192.168.1.2", "::2", "fe80::1", "0.0.0.0"]) {
    assertEquals(isLoopback(host), false, host);
  }
});

Deno.test("protectedModeRefuses remote peers only while protected mode is on and the default user has no password", () => {
  const config = new Config();
  const state = new ServerState(config);
  assertEquals(protectedModeRefuses(state, "10.1.2.3"), true);
  assertEquals(protectedModeRefuses(state, "127.0.0.1"), false);
  config.set("requirepass", "secret");
  assertEquals(protectedModeRefuses(state, "10.1.2.3"), false);
  config.set("requirepass", "");
  assertEquals(protectedModeRefuses(state, "10.1.2.3"), true);
  aclOf(state).apply(aclOf(state).defaultUser, ">pw");
  assertEquals(protectedModeRefuses(state, "10.1.2.3"), false);
  aclOf(state).apply(aclOf(state).defaultUser, "nopass");
  config.set("protected-mode", "no");
  assertEquals(protectedModeRefuses(state, "10.1.2.3"), false);
});
