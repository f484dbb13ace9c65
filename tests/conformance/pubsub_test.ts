/**
 * Pub/Sub in RESP2 and RESP3 against real redis-server: subscription
 * replies, message delivery to channel and pattern subscribers, PUBSUB
 * introspection, and the RESP2 subscribed-context restriction.
 */
import {
  differential,
  type Script,
  type Step,
} from "../_harness/differential.ts";

/** Waits until `channel` has `count` subscribers (a SUBSCRIBE whose reply is not read). */
function numsub(
  channel: string,
  count: number,
): NonNullable<Step["after"]> {
  return {
    cmd: ["PUBSUB", "NUMSUB", channel],
    until: (raw) => raw.endsWith(`\r\n:${count}\r\n`),
  };
}

const delivery: Script = [
  { cmd: ["SUBSCRIBE", "news", "sport"], replies: 2 },
  { cmd: ["PSUBSCRIBE", "n*", "x?"], conn: 2, replies: 2 },
  { cmd: ["PUBLISH", "news", "hello"], conn: 1 },
  { readOnly: true },
  { readOnly: true, conn: 2 },
  { cmd: ["PUBLISH", "nothing", "x"], conn: 1 },
  { readOnly: true, conn: 2 },
  { cmd: ["PUBLISH", "xy", "bin\r\n\xff"], conn: 1 },
  { readOnly: true, conn: 2 },
  { cmd: ["PUBLISH", "sport", ""], conn: 1 },
  { readOnly: true },
  { cmd: ["PUBSUB", "NUMSUB", "news", "sport", "none"], conn: 1 },
  { cmd: ["PUBSUB", "NUMPAT"], conn: 1 },
  ["UNSUBSCRIBE", "news"],
  { cmd: ["PUBLISH", "news", "again"], conn: 1 },
  { readOnly: true, conn: 2 },
  ["UNSUBSCRIBE"],
  { cmd: ["PUNSUBSCRIBE", "n*", "x?"], conn: 2, replies: 2 },
  { cmd: ["PUNSUBSCRIBE"], conn: 2 },
  { cmd: ["PUBSUB", "NUMPAT"], conn: 1 },
];

const confirmations: Script = [
  { cmd: ["SUBSCRIBE", "a", "b", "a"], replies: 3 },
  { cmd: ["UNSUBSCRIBE", "b", "c"], replies: 2 },
  ["PSUBSCRIBE", "p*"],
  ["PUNSUBSCRIBE", "q*"],
  ["UNSUBSCRIBE"],
  ["PUNSUBSCRIBE"],
  ["UNSUBSCRIBE"],
  ["PUNSUBSCRIBE"],
  ["SUNSUBSCRIBE"],
  { cmd: ["SSUBSCRIBE", "s", "s"], replies: 2 },
  ["SUNSUBSCRIBE", "t"],
  ["SUNSUBSCRIBE"],
];

differential(import.meta.url, {
  "SUBSCRIBE and UNSUBSCRIBE replies": confirmations,
  "SUBSCRIBE and UNSUBSCRIBE replies in RESP3": {
    protocol: 3,
    steps: confirmations,
  },
  "RESP2 subscribed context allows only the subscribe family, PING and QUIT": [
    ["SUBSCRIBE", "a"],
    ["GET", "x"],
    ["PUBSUB", "NUMSUB", "a"],
    ["PING"],
    ["PING", "msg"],
    ["UNSUBSCRIBE"],
    ["GET", "x"],
    ["PING"],
  ],
  "message delivery in RESP2": delivery,
  "message delivery in RESP3": { protocol: 3, steps: delivery },
  "RESP3 clients may run any command while subscribed": {
    protocol: 3,
    steps: [["SUBSCRIBE", "a"], ["SET", "k", "v"], ["GET", "k"], ["PING"], [
      "UNSUBSCRIBE",
    ]],
  },
  "shard channels": [
    { cmd: ["SSUBSCRIBE", "s1", "s2"], replies: 2 },
    { cmd: ["SPUBLISH", "s1", "m"], conn: 1 },
    { readOnly: true },
    { cmd: ["PUBSUB", "SHARDNUMSUB", "s1", "s3"], conn: 1 },
    {
      cmd: ["PUBSUB", "SHARDCHANNELS"],
      conn: 1,
      mask: sortedArray,
      why: "channel order is hash-table order",
    },
    { cmd: ["PUBSUB", "SHARDCHANNELS", "*2"], conn: 1 },
    { cmd: ["PUBLISH", "s1", "not to shard subscribers"], conn: 1 },
    ["SUNSUBSCRIBE", "s2"],
    ["SUNSUBSCRIBE"],
    ["SUNSUBSCRIBE"],
  ],
  "PUBSUB CHANNELS with and without a pattern": [
    { cmd: ["SUBSCRIBE", "alpha", "beta", "alps"], replies: 3 },
    {
      cmd: ["PUBSUB", "CHANNELS"],
      conn: 1,
      mask: sortedArray,
      why: "channel order is hash-table order",
    },
    {
      cmd: ["PUBSUB", "CHANNELS", "al*"],
      conn: 1,
      mask: sortedArray,
      why: "channel order is hash-table order",
    },
    { cmd: ["PUBSUB", "CHANNELS", "zzz"], conn: 1 },
    { cmd: ["PUBSUB", "CHANNELS", "a", "b"], conn: 1 },
    { cmd: ["PUBSUB", "NUMPAT", "x"], conn: 1 },
    { cmd: ["PUBSUB", "HELP"], conn: 1 },
    { cmd: ["PUBSUB", "FOO"], conn: 1 },
    { cmd: ["PUBSUB"], conn: 1 },
  ],
  "PUBLISH counts pattern and channel receivers": [
    ["SUBSCRIBE", "c"],
    { cmd: ["PSUBSCRIBE", "c", "*"], conn: 2, replies: 2 },
    { cmd: ["PUBLISH", "c", "m"], conn: 1 },
    { readOnly: true },
    {
      readOnly: true,
      conn: 2,
      mask: pmessageKey,
      why: "patterns are delivered in hash-table order",
    },
    {
      readOnly: true,
      conn: 2,
      mask: pmessageKey,
      why: "patterns are delivered in hash-table order",
    },
  ],
  "SUBSCRIBE inside MULTI": [["MULTI"], ["SUBSCRIBE", "a"], ["EXEC"], ["PING"]],
  "wrong arity": [["SUBSCRIBE"], ["PSUBSCRIBE"], ["PUBLISH", "a"], [
    "SSUBSCRIBE",
  ], ["SPUBLISH", "a"]],
  "PUBSUB subcommands without arguments and in any case": [
    ["PUBSUB", "NUMSUB"],
    ["PUBSUB", "SHARDNUMSUB"],
    ["PUBSUB", "numpat"],
    ["PUBSUB", "Channels"],
    ["PUBSUB", "SHARDCHANNELS", "a", "b"],
    ["PUBSUB", "NUMPAT", "extra"],
    ["PUBSUB", "HELP", "extra"],
    ["PUBSUB", "NUMSUB", "a", "a"],
  ],
  "PUBSUB HELP in RESP3": { protocol: 3, steps: [["PUBSUB", "HELP"]] },
  "PUBSUB NUMPAT counts distinct patterns across clients": [
    { cmd: ["PSUBSCRIBE", "p*", "p*", "q?"], replies: 3 },
    { cmd: ["PSUBSCRIBE", "p*", "r[ab]"], conn: 1, replies: 2 },
    { cmd: ["PUBSUB", "NUMPAT"], conn: 2 },
    { cmd: ["PUBSUB", "NUMSUB", "p*"], conn: 2 },
    { cmd: ["PUBLISH", "rb", "x"], conn: 2 },
    { readOnly: true, conn: 1 },
    { cmd: ["PUBLISH", "q\\", "x"], conn: 2 },
    { readOnly: true },
    ["PUNSUBSCRIBE", "p*"],
    { cmd: ["PUBSUB", "NUMPAT"], conn: 2 },
    { cmd: ["PUNSUBSCRIBE"], conn: 1, replies: 2 },
    { cmd: ["PUBSUB", "NUMPAT"], conn: 2 },
  ],
  "PUBLISH with glob patterns: escapes, classes, binary channels": [
    { cmd: ["PSUBSCRIBE", "a\\*b", "[^x]y", "\xff*"], replies: 3 },
    { cmd: ["PUBLISH", "a*b", "1"], conn: 1 },
    { readOnly: true },
    { cmd: ["PUBLISH", "axb", "2"], conn: 1 },
    { cmd: ["PUBLISH", "zy", "3"], conn: 1 },
    { readOnly: true },
    { cmd: ["PUBLISH", "xy", "4"], conn: 1 },
    { cmd: ["PUBLISH", "\xff\x00\r\n", "5"], conn: 1 },
    { readOnly: true },
    ["PING"],
  ],
  "SUBSCRIBE and SSUBSCRIBE counts are separate": [
    ["SUBSCRIBE", "a"],
    ["SSUBSCRIBE", "s"],
    ["PSUBSCRIBE", "p"],
    ["SSUBSCRIBE", "t"],
    { cmd: ["SUNSUBSCRIBE", "s", "nothing"], replies: 2 },
    ["UNSUBSCRIBE", "a"],
    ["PUNSUBSCRIBE"],
    ["SUNSUBSCRIBE"],
  ],
  "RESP2 subscribed context: errors name the command": [
    ["PSUBSCRIBE", "x"],
    ["PUBSUB", "NUMPAT"],
    ["CLIENT", "ID"],
    ["NOSUCHCOMMAND"],
    ["SUBSCRIBE"],
    ["PUBLISH", "x", "y"],
    ["MULTI"],
    ["PING", "a", "b"],
    ["SSUBSCRIBE", "s"],
    ["PUNSUBSCRIBE"],
    ["SUNSUBSCRIBE"],
    ["PUBLISH", "x", "y"],
  ],
  "RESET leaves every subscription": [
    { cmd: ["SUBSCRIBE", "a", "b"], replies: 2 },
    ["PSUBSCRIBE", "p*"],
    ["SSUBSCRIBE", "s"],
    ["RESET"],
    ["GET", "x"],
    { cmd: ["PUBSUB", "NUMSUB", "a", "b"], conn: 1 },
    { cmd: ["PUBSUB", "NUMPAT"], conn: 1 },
    { cmd: ["PUBSUB", "SHARDNUMSUB", "s"], conn: 1 },
    { cmd: ["PUBLISH", "a", "m"], conn: 1 },
  ],
  "QUIT while subscribed": [
    ["SUBSCRIBE", "a"],
    { cmd: ["QUIT"], readFor: 10000, after: numsub("a", 0) },
    { cmd: ["PUBSUB", "NUMSUB", "a"], conn: 1 },
  ],
  "PUBLISH inside MULTI delivers at EXEC": [
    ["SUBSCRIBE", "a"],
    { cmd: ["MULTI"], conn: 1 },
    { cmd: ["PUBLISH", "a", "1"], conn: 1 },
    { cmd: ["PUBLISH", "a", "2"], conn: 1 },
    { cmd: ["PUBSUB", "NUMSUB", "a"], conn: 1 },
    { cmd: ["EXEC"], conn: 1 },
    { readOnly: true },
    { readOnly: true },
    ["PING"],
  ],
  "RESP3 subscriber switching to RESP2 with HELLO": {
    protocol: 3,
    steps: [
      ["SUBSCRIBE", "a"],
      { cmd: ["PUBLISH", "a", "m3"], conn: 1 },
      { readOnly: true },
      {
        cmd: ["HELLO", "2"],
        mask: helloMask,
        why: "HELLO reports the server version and client id",
      },
      { cmd: ["PUBLISH", "a", "m2"], conn: 1 },
      { readOnly: true },
      ["GET", "x"],
      ["UNSUBSCRIBE"],
    ],
  },
  "RESP3 pushes interleave with replies in order": {
    protocol: 3,
    steps: [
      ["SUBSCRIBE", "a"],
      ["PUBLISH", "a", "self"],
      { readOnly: true },
      {
        raw:
          "*3\r\n$7\r\nPUBLISH\r\n$1\r\na\r\n$1\r\n1\r\n*1\r\n$4\r\nPING\r\n",
        replies: 3,
      },
      ["PSUBSCRIBE", "*"],
      ["PUBLISH", "a", "both"],
      { readOnly: true },
      { readOnly: true },
    ],
  },
  "CLIENT REPLY OFF silences neither confirmations nor messages (pushes)": [
    { cmd: ["CLIENT", "REPLY", "OFF"], noReply: true },
    { cmd: ["SUBSCRIBE", "a"], noReply: true, after: numsub("a", 1) },
    { cmd: ["PUBLISH", "a", "m"], conn: 1 },
    { cmd: ["PUBSUB", "NUMSUB", "a"], conn: 1 },
    // The confirmation and the message (CLIENT REPLY ON is refused, unheard).
    { cmd: ["CLIENT", "REPLY", "ON"], replies: 2 },
    { cmd: ["PUBLISH", "a", "m2"], conn: 1 },
    { readOnly: true },
  ],
  "CLIENT REPLY SKIP before SUBSCRIBE still sends its confirmations": {
    protocol: 3,
    steps: [
      { cmd: ["CLIENT", "REPLY", "SKIP"], noReply: true },
      { cmd: ["SUBSCRIBE", "a", "b"], noReply: true, after: numsub("b", 1) },
      { cmd: ["PUBLISH", "a", "m"], conn: 1 },
      // Two confirmations and the message, then PONG: exact counts, read
      // without a deadline a busy machine could miss.
      { cmd: ["PING"], replies: 4 },
      { cmd: ["CLIENT", "REPLY", "OFF"], noReply: true },
      { cmd: ["UNSUBSCRIBE", "b"], replies: 1 },
      { cmd: ["PUBLISH", "a", "m2"], conn: 1 },
      { cmd: ["CLIENT", "REPLY", "ON"], replies: 2 },
    ],
  },
  // PUBSUB itself is left out: Redis lists its subcommands in the order of
  // a hash table with a random seed, different at every start.
  "COMMAND INFO and COMMAND DOCS of the pub/sub commands": [
    [
      "COMMAND",
      "INFO",
      "publish",
      "spublish",
      "subscribe",
      "unsubscribe",
      "psubscribe",
      "punsubscribe",
      "ssubscribe",
      "sunsubscribe",
      "pubsub|channels",
      "pubsub|numsub",
      "pubsub|numpat",
      "pubsub|shardchannels",
      "pubsub|shardnumsub",
      "pubsub|help",
    ],
    [
      "COMMAND",
      "DOCS",
      "publish",
      "pubsub|numsub",
      "pubsub|channels",
      "ssubscribe",
      "punsubscribe",
    ],
  ],
  "big and empty messages": [
    ["SUBSCRIBE", ""],
    { cmd: ["PUBLISH", "", "x".repeat(100000)], conn: 1 },
    { readOnly: true },
    { cmd: ["PUBLISH", "", ""], conn: 1 },
    { readOnly: true },
    { cmd: ["PUBSUB", "CHANNELS"], conn: 1 },
    { cmd: ["PUBSUB", "NUMSUB", ""], conn: 1 },
  ],
});

// Keeps the shape of a HELLO reply without the version and id values.
function helloMask(raw: string): string {
  return raw.replace(/\$\d+\r\n\d+\.\d+\.\d+\r\n/, "<version>").replace(
    /\$2\r\nid\r\n:\d+\r\n/,
    "<id>",
  );
}

function sortedArray(raw: string): string {
  const lines = raw.split("\r\n");
  const header = lines[0]!;
  const items: string[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    items.push(`${lines[i]}\r\n${lines[i + 1]}\r\n`);
  }
  return header + "\r\n" + items.sort().join("");
}

// Keeps only the message kind and channel of a pmessage frame.
function pmessageKey(raw: string): string {
  const lines = raw.split("\r\n");
  return [lines[0], lines[2], lines[6]].join("|");
}
