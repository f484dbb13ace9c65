/**
 * TIME
 *
 * @module
 */
import type { ServerState } from "../../state.ts";
import { systemClock } from "../../util/clock.ts";
import { defineCommand } from "../define.ts";

/**
 * Unix time in microseconds (TIME, INFO server_time_usec). The system
 * clock has millisecond resolution; the high-resolution timer supplies the
 * microseconds gettimeofday would. An injected clock is used as it is.
 */
export function nowMicros(server: ServerState): number {
  return server.clock === systemClock
    ? Math.floor((performance.timeOrigin + performance.now()) * 1000)
    : Math.floor(server.clock.now() * 1000);
}

/** TIME: the server's Unix time as seconds and microseconds. */
export const time = defineCommand({
  name: "time",
  group: "server",
  summary: "Return the current server time",
  since: "2.6.0",
  complexity: "O(1)",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  tips: ["nondeterministic_output"],
  handler(ctx) {
    const usec = nowMicros(ctx.server);
    const seconds = Math.floor(usec / 1e6);
    return [String(seconds), String(usec - seconds * 1e6)];
  },
});
