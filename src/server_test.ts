import { assertEquals } from "../tests/_deps.ts";
import { Config } from "./config.ts";
import { isLoopback, protectedModeRefuses } from "./server.ts";

Deno.test("isLoopback accepts 127.0.0.0/8, ::1 and IPv4-mapped loopback only", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
    assertEquals(isLoopback(host), true, host);
  }
  for (const host of ["10.0.0.1", "192.168.1.2", "::2", "fe80::1", "0.0.0.0"]) {
    assertEquals(isLoopback(host), false, host);
  }
});

Deno.test("protectedModeRefuses remote peers only while protected mode is on and no password is set", () => {
  const config = new Config();
  assertEquals(protectedModeRefuses(config, "10.1.2.3"), true);
  assertEquals(protectedModeRefuses(config, "127.0.0.1"), false);
  config.set("requirepass", "secret");
  assertEquals(protectedModeRefuses(config, "10.1.2.3"), false);
  config.set("requirepass", "");
  config.set("protected-mode", "no");
  assertEquals(protectedModeRefuses(config, "10.1.2.3"), false);
});
