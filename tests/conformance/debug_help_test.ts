/**
 * DEBUG HELP against real redis-server 7.0: every line Redis prints.
 */
import { differential } from "../_harness/differential.ts";

differential(import.meta.url, {
  "DEBUG HELP lists every subcommand as Redis 7.0 does": [
    ["DEBUG", "HELP"],
    ["DEBUG", "help"],
    ["DEBUG", "HELP", "x"],
    ["DEBUG", "NO-SUCH-SUBCOMMAND"],
  ],
}, { args: ["--enable-debug-command", "yes"] });
