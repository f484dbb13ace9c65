/**
 * MODULE and DEBUG with the defaults `enable-module-command no` and
 * `enable-debug-command no`, against real
 * redis-server 7.0: LIST and HELP answer; LOAD, LOADEX and UNLOAD (the
 * protected subcommands) are refused with Redis's text.
 *
 * @module
 */
import { differential } from "../_harness/differential.ts";

differential(import.meta.url, {
  "MODULE LIST and HELP are allowed": [["MODULE", "LIST"], ["MODULE", "HELP"]],
  "MODULE LOAD, LOADEX and UNLOAD are refused": [
    ["MODULE", "LOAD", "/nonexistent/m.so"],
    ["MODULE", "LOADEX", "/nonexistent/m.so"],
    ["MODULE", "UNLOAD", "foo"],
  ],
  "DEBUG is refused with its own option named": [["DEBUG", "HELP"]],
}, { args: ["--enable-debug-command", "no"] });
