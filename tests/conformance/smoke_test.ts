import { differential } from "../_harness/differential.ts";

differential(import.meta.url, {
  "PING and ECHO": [["PING"], ["ping", "hello"], ["ECHO", "x\r\ny"], [
    "ping",
    "a",
    "b",
  ]],
  "unknown command": [["foo", "a", "b"], ["FOO"]],
  "GET and SET": [["SET", "k", "v"], ["GET", "k"], ["GET", "missing"], [
    "set",
    "k",
  ]],
});
