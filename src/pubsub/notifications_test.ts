import { assertEquals } from "../../tests/_deps.ts";
import { Config } from "../config.ts";
import {
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_LIST,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  ServerState,
} from "../state.ts";
import { eventFlags, installNotifications } from "./notifications.ts";

Deno.test("eventFlags: A is every class but new and keymiss", () => {
  const all = eventFlags("A");
  assertEquals(all & NOTIFY_NEW, 0);
  assertEquals(all & NOTIFY_KEY_MISS, 0);
  assertEquals(all & NOTIFY_MODULE, NOTIFY_MODULE);
  assertEquals(all & NOTIFY_EXPIRED, NOTIFY_EXPIRED);
  assertEquals(eventFlags("KEA") & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT), 3);
  assertEquals(
    eventFlags("Elg"),
    NOTIFY_KEYEVENT | NOTIFY_LIST | NOTIFY_GENERIC,
  );
  assertEquals(eventFlags(""), 0);
});

Deno.test("installNotifications follows CONFIG SET: a sink only while K or E is on, the new hook only with n", () => {
  const server = new ServerState(new Config());
  const sinks = server.eventSinks.length;
  installNotifications(server);
  assertEquals(server.eventSinks.length, sinks);
  server.config.set("notify-keyspace-events", "KEA");
  assertEquals(server.eventSinks.length, sinks + 1);
  assertEquals(server.keyspace.hooks.keyNew, undefined);
  server.config.set("notify-keyspace-events", "KEAn");
  assertEquals(server.eventSinks.length, sinks + 1);
  assertEquals(typeof server.keyspace.hooks.keyNew, "function");
  // Classes without K or E publish nothing, so nothing is installed.
  server.config.set("notify-keyspace-events", "An");
  assertEquals(server.eventSinks.length, sinks);
  assertEquals(server.keyspace.hooks.keyNew, undefined);
});
