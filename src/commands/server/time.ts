/**
 * TIME
 *
 * @module
 */
import { systemClock } from "../../util/clock.ts";
import { defineCommand } from "../define.ts";

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
    const clock = ctx.server.clock;
    // The system clock has millisecond resolution; the monotonic timer
    // supplies the microseconds Redis's gettimeofday would.
    const usec = clock === systemClock
      ? Math.floor((performance.timeOrigin + performance.now()) * 1000)
      : Math.floor(clock.now() * 1000);
    const seconds = Math.floor(usec / 1e6);
    return [String(seconds), String(usec - seconds * 1e6)];
  },
});
