/**
 * CONFIG GET of Redis 7.0's hidden debug directives (key-load-delay,
 * rdb-key-save-delay, loading-process-events-interval-bytes,
 * use-exit-on-panic) against real redis-server: an exact name shows them,
 * a pattern never does; and CONFIG SET of several directives where one
 * fails names it with Redis's reason and changes none of them.
 */
import { differential, masks } from "../_harness/differential.ts";

// The names a CONFIG GET pattern listed, sorted (Redis lists them in
// hash-table order).
function names(raw: string): string {
  const lines = raw.split("\r\n");
  const out: string[] = [];
  for (let i = 2; i < lines.length; i += 4) out.push(lines[i]!);
  return out.sort().join(",");
}

differential(import.meta.url, {
  "CONFIG GET shows hidden directives by exact name only": [
    ["CONFIG", "GET", "key-load-delay"],
    ["CONFIG", "GET", "KEY-LOAD-DELAY"],
    ["CONFIG", "GET", "rdb-key-save-delay"],
    ["CONFIG", "GET", "loading-process-events-interval-bytes"],
    ["CONFIG", "GET", "use-exit-on-panic"],
    { cmd: ["CONFIG", "GET", "key-load*"], mask: names, why: "order" },
    { cmd: ["CONFIG", "GET", "*-delay"], mask: names, why: "order" },
    { cmd: ["CONFIG", "GET", "loading*"], mask: names, why: "order" },
    { cmd: ["CONFIG", "GET", "use-exit-on-pani?"], mask: names, why: "order" },
    {
      cmd: ["CONFIG", "GET", "rdb-key-save-delay", "rdb*"],
      mask: names,
      why: "order",
    },
    ["CONFIG", "SET", "key-load-delay", "0"],
    ["CONFIG", "SET", "use-exit-on-panic", "yes"],
    ["CONFIG", "GET", "use-exit-on-panic"],
    ["CONFIG", "SET", "use-exit-on-panic", "no"],
  ],
  "CONFIG SET of several directives: the failing one and its reason, nothing changed":
    [
      ["CONFIG", "SET", "hz", "20", "maxmemory", "abc"],
      ["CONFIG", "SET", "maxmemory", "10mb", "hz", "abc"],
      ["CONFIG", "SET", "hz", "20", "maxmemory-policy", "foo"],
      ["CONFIG", "SET", "hz", "20", "nosuch", "1"],
      ["CONFIG", "SET", "hz", "20", "HZ", "30"],
      ["CONFIG", "SET", "hz", "21", "save", "bad"],
      ["CONFIG", "SET", "hz", "22", "dir", "/nonexistent"],
      ["CONFIG", "SET", "hz", "23", "daemonize", "yes"],
      ["CONFIG", "SET", "hz", "24", "oom-score-adj-values", "1 2"],
      ["CONFIG", "SET", "maxmemory", "5mb", "bind", "192.0.2.1"],
      ["CONFIG", "GET", "hz"],
      ["CONFIG", "GET", "maxmemory"],
      {
        cmd: ["CONFIG", "SET", "hz", "25", "maxclients", "100000000"],
        mask: masks.replace(/try with \d+/, "try with N"),
        why: "the limit depends on the process's file limit",
      },
      ["CONFIG", "GET", "hz"],
    ],
});
