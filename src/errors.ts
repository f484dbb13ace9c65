/**
 * Error types and the catalogue of wire error texts.
 *
 * Every error reply a client can see is built here, so its text matches
 * Redis 7.0 byte for byte and conformance tests can pin it in one place.
 *
 * @module
 */

/** An error reply. The connection stays open; `code` is the first word on the wire. */
export class CommandError extends Error {
  /** The error code (`ERR`, `WRONGTYPE`, ...), used for INFO errorstats. */
  readonly code: string;

  /** `message` is the text after the code, as Redis sends it. */
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = "CommandError";
  }

  /** The full error line without the leading `-`: `ERR syntax error`. */
  get line(): string {
    return this.message === "" ? this.code : `${this.code} ${this.message}`;
  }
}

/** Malformed input from a client: answered with one error, then the connection is closed. */
export class ProtocolError extends SyntaxError {
  /** True when Redis closes the connection without a reply (query buffer overflow). */
  silent = false;
  /**
   * The unparsed input from the failing line on (latin1, at most 128
   * bytes shown as Redis's log shows them), for the verbose log line.
   */
  query = "";

  /** `message` is what follows `Protocol error: ` on the wire. */
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

function err(message: string): CommandError {
  return new CommandError("ERR", message);
}

/** `-ERR syntax error` */
export function syntaxError(): CommandError {
  return err("syntax error");
}

/** `-WRONGTYPE Operation against a key holding the wrong kind of value` */
export function wrongType(): CommandError {
  return new CommandError(
    "WRONGTYPE",
    "Operation against a key holding the wrong kind of value",
  );
}

/** `-ERR value is not an integer or out of range` */
export function notInteger(): CommandError {
  return err("value is not an integer or out of range");
}

/** `-ERR value is not a valid float` */
export function notFloat(): CommandError {
  return err("value is not a valid float");
}

/** `-ERR wrong number of arguments for 'get' command` */
export function wrongArity(name: string): CommandError {
  return err(`wrong number of arguments for '${name}' command`);
}

/** `-ERR increment or decrement would overflow` */
export function overflow(): CommandError {
  return err("increment or decrement would overflow");
}

/** `-ERR no such key` */
export function noSuchKey(): CommandError {
  return err("no such key");
}

/** `-ERR index out of range` */
export function indexOutOfRange(): CommandError {
  return err("index out of range");
}

/** `-ERR DB index is out of range` */
export function dbIndexOutOfRange(): CommandError {
  return err("DB index is out of range");
}

/** `-ERR invalid expire time in 'set' command` */
export function invalidExpireTime(command: string): CommandError {
  return err(`invalid expire time in '${command}' command`);
}

/** `-ERR <name> is out of range, must be positive` and similar range errors. */
export function outOfRange(what: string): CommandError {
  return err(`${what} is out of range, must be positive`);
}

/** `-ERR string exceeds maximum allowed size (proto-max-bulk-len)` */
export function stringTooLong(): CommandError {
  return err("string exceeds maximum allowed size (proto-max-bulk-len)");
}

/** `-ERR bit offset is not an integer or out of range` */
export function bitOffsetError(): CommandError {
  return err("bit offset is not an integer or out of range");
}

/** `-ERR unknown command 'foo', with args beginning with: 'a' ` */
export function unknownCommand(
  name: string,
  args: readonly string[],
): CommandError {
  // Redis prints at most 128 bytes of the name and of all args together.
  let list = "";
  for (let i = 0; i < args.length && list.length < 128; i++) {
    list += `'${cString(args[i]!).slice(0, 128 - list.length)}' `;
  }
  return err(
    oneLine(
      `unknown command '${
        cString(name).slice(0, 128)
      }', with args beginning with: ${list}`,
    ),
  );
}

/** `-ERR unknown subcommand 'x'. Try CONFIG HELP.` */
export function unknownSubcommand(
  sub: string,
  parent: string,
): CommandError {
  return err(
    oneLine(
      `unknown subcommand '${
        cString(sub).slice(0, 128)
      }'. Try ${parent.toUpperCase()} HELP.`,
    ),
  );
}

/** `-NOAUTH Authentication required.` */
export function noAuth(): CommandError {
  return new CommandError("NOAUTH", "Authentication required.");
}

/** `-ERR invalid password` style errors for AUTH/HELLO. */
export function wrongPass(): CommandError {
  return new CommandError(
    "WRONGPASS",
    "invalid username-password pair or user is disabled.",
  );
}

/** `-ERR max number of clients reached` */
export function maxClients(): CommandError {
  return err("max number of clients reached");
}

/** `-ERR ... is not allowed while in MULTI` style checks; generic ERR factory. */
export function commandError(message: string): CommandError {
  return err(message);
}

/** Text up to the first NUL byte, as C's `%s` prints it. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** Error replies are one line: Redis turns CR and LF in echoed input into spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, " ");
}

/** `-ERR value is out of range, value must between -2147483648 and 2147483647` (getRangeLongFromObjectOrReply) */
export function valueOutOfRangeBetween(
  min: number | bigint,
  max: number | bigint,
): CommandError {
  return err(`value is out of range, value must between ${min} and ${max}`);
}

/** `-ERR invalid first DB index` (SWAPDB; `which` is `first` or `second`) */
export function invalidDbIndex(which: "first" | "second"): CommandError {
  return err(`invalid ${which} DB index`);
}

/** `-ERR source and destination objects are the same` (MOVE, COPY) */
export function sameObject(): CommandError {
  return err("source and destination objects are the same");
}

/** `-ERR Unsupported option foo` (EXPIRE and friends) */
export function unsupportedOption(option: string): CommandError {
  // Redis formats it with %s (a NUL byte ends it) and trims line ends
  // from the ends of the message (addReplyErrorFormat).
  return err(
    `Unsupported option ${cString(option)}`.replace(/^[\r\n]+|[\r\n]+$/g, ""),
  );
}

/** `-ERR NX and XX, GT or LT options at the same time are not compatible` */
export function expireNxIncompatible(): CommandError {
  return err("NX and XX, GT or LT options at the same time are not compatible");
}

/** `-ERR GT and LT options at the same time are not compatible` */
export function expireGtLtIncompatible(): CommandError {
  return err("GT and LT options at the same time are not compatible");
}

/** `-ERR invalid cursor` (SCAN family) */
export function invalidCursor(): CommandError {
  return err("invalid cursor");
}

/** `-ERR An LFU maxmemory policy is selected, idle time not tracked. ...` (OBJECT IDLETIME) */
export function lfuPolicySelected(): CommandError {
  return err(
    "An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  );
}

/** `-ERR An LFU maxmemory policy is not selected, access frequency not tracked. ...` (OBJECT FREQ) */
export function lfuPolicyNotSelected(): CommandError {
  return err(
    "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  );
}

/** `-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.` */
export function subcommandSyntaxError(
  sub: string,
  parent: string,
): CommandError {
  return err(
    oneLine(
      `unknown subcommand or wrong number of arguments for '${
        sub.slice(0, 128)
      }'. Try ${parent.toUpperCase()} HELP.`,
    ),
  );
}

/** `-ERR hash value is not an integer` (HINCRBY) */
export function hashValueNotInteger(): CommandError {
  return err("hash value is not an integer");
}

/** `-ERR hash value is not a float` (HINCRBYFLOAT) */
export function hashValueNotFloat(): CommandError {
  return err("hash value is not a float");
}

/** `-ERR value is NaN or Infinity` (HINCRBYFLOAT increment) */
export function valueNanOrInfinity(): CommandError {
  return err("value is NaN or Infinity");
}

/** `-ERR increment would produce NaN or Infinity` (INCRBYFLOAT, HINCRBYFLOAT) */
export function incrementNanOrInfinity(): CommandError {
  return err("increment would produce NaN or Infinity");
}

/** `-ERR value is out of range` (HRANDFIELD WITHVALUES count) */
export function valueOutOfRange(): CommandError {
  return err("value is out of range");
}

/** `-ERR numkeys should be greater than 0` (SINTERCARD, ZINTERCARD, ...) */
export function numkeysNotPositive(): CommandError {
  return err("numkeys should be greater than 0");
}

/** `-ERR Number of keys can't be greater than number of args` (SINTERCARD, ZINTERCARD, ...) */
export function numkeysTooLarge(): CommandError {
  return err("Number of keys can't be greater than number of args");
}

/** `-ERR LIMIT can't be negative` (SINTERCARD, ZINTERCARD) */
export function limitNegative(): CommandError {
  return err("LIMIT can't be negative");
}

/** `-ERR RANK can't be zero: ...` (LPOS) */
export function rankZero(): CommandError {
  return err(
    "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  );
}

/** `-ERR COUNT can't be negative` (LPOS) */
export function countNegative(): CommandError {
  return err("COUNT can't be negative");
}

/** `-ERR MAXLEN can't be negative` (LPOS) */
export function maxlenNegative(): CommandError {
  return err("MAXLEN can't be negative");
}

/** `-ERR count should be greater than 0` (LMPOP, BLMPOP, ZMPOP, BZMPOP) */
export function countNotPositive(): CommandError {
  return err("count should be greater than 0");
}

/** `-ERR decrement would overflow` (DECRBY with the smallest 64-bit integer) */
export function decrementOverflow(): CommandError {
  return err("decrement would overflow");
}

/** `-ERR offset is out of range` (SETRANGE with a negative offset) */
export function offsetOutOfRange(): CommandError {
  return err("offset is out of range");
}

/** `-ERR bit is not an integer or out of range` (SETBIT value) */
export function bitValueError(): CommandError {
  return err("bit is not an integer or out of range");
}

/** `-ERR The bit argument must be 1 or 0.` (BITPOS) */
export function bitArgumentError(): CommandError {
  return err("The bit argument must be 1 or 0.");
}

/** `-ERR BITOP NOT must be called with a single source key.` */
export function bitopNotSingleKey(): CommandError {
  return err("BITOP NOT must be called with a single source key.");
}

/** `-ERR Invalid bitfield type. ...` (BITFIELD type other than i1..i64, u1..u63) */
export function bitfieldTypeError(): CommandError {
  return err(
    "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
  );
}

/** `-ERR Invalid OVERFLOW type specified` (BITFIELD OVERFLOW) */
export function bitfieldOverflowType(): CommandError {
  return err("Invalid OVERFLOW type specified");
}

/** `-ERR BITFIELD_RO only supports the GET subcommand` */
export function bitfieldReadOnly(): CommandError {
  return err("BITFIELD_RO only supports the GET subcommand");
}

/** `-ERR If you want both the length and indexes, please just use IDX.` (LCS) */
export function lcsLenAndIdx(): CommandError {
  return err("If you want both the length and indexes, please just use IDX.");
}

/** `-ERR The specified keys must contain string values` (LCS) */
export function lcsNotStrings(): CommandError {
  return err("The specified keys must contain string values");
}

/** `-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len` */
export function lcsTooLarge(): CommandError {
  return err(
    "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
  );
}

/** `-ERR Invalid stream ID specified as stream command argument` */
export function invalidStreamId(): CommandError {
  return err("Invalid stream ID specified as stream command argument");
}

/** `-ERR The ID specified in XADD must be greater than 0-0` */
export function xaddIdZero(): CommandError {
  return err("The ID specified in XADD must be greater than 0-0");
}

/** `-ERR The ID specified in XADD is equal or smaller than the target stream top item` */
export function xaddIdTooSmall(): CommandError {
  return err(
    "The ID specified in XADD is equal or smaller than the target stream top item",
  );
}

/** `-ERR The stream has exhausted the last possible ID, unable to add more items` */
export function streamIdExhausted(): CommandError {
  return err(
    "The stream has exhausted the last possible ID, unable to add more items",
  );
}

/** `-ERR Elements are too large to be stored` (XADD beyond 1 GB per entry) */
export function streamElementsTooLarge(): CommandError {
  return err("Elements are too large to be stored");
}

/** `-ERR The MAXLEN argument must be >= 0.` / `The LIMIT argument must be >= 0.` (XADD, XTRIM) */
export function streamTrimArgNegative(what: "MAXLEN" | "LIMIT"): CommandError {
  return err(`The ${what} argument must be >= 0.`);
}

/** `-ERR syntax error, MAXLEN and MINID options at the same time are not compatible` */
export function streamTrimStrategyConflict(): CommandError {
  return err(
    "syntax error, MAXLEN and MINID options at the same time are not compatible",
  );
}

/** `-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy` */
export function streamLimitWithoutStrategy(): CommandError {
  return err(
    "syntax error, LIMIT cannot be used without specifying a trimming strategy",
  );
}

/** `-ERR syntax error, LIMIT cannot be used without the special ~ option` */
export function streamLimitWithoutApprox(): CommandError {
  return err("syntax error, LIMIT cannot be used without the special ~ option");
}

/** `-ERR syntax error, XTRIM must be called with a trimming strategy` */
export function xtrimWithoutStrategy(): CommandError {
  return err("syntax error, XTRIM must be called with a trimming strategy");
}

/** `-ERR invalid start ID for the interval` / `invalid end ID for the interval` */
export function streamInvalidInterval(which: "start" | "end"): CommandError {
  return err(`invalid ${which} ID for the interval`);
}

/** `-ERR Unbalanced XREAD list of streams: ...` (XREAD and XREADGROUP alike in 7.0) */
export function xreadUnbalanced(): CommandError {
  return err(
    "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  );
}

/** `-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.` (also NOACK) */
export function xreadGroupOnlyOption(option: "GROUP" | "NOACK"): CommandError {
  return err(
    `The ${option} option is only supported by XREADGROUP. You called XREAD instead.`,
  );
}

/** `-ERR Missing GROUP option for XREADGROUP` */
export function xreadgroupMissingGroup(): CommandError {
  return err("Missing GROUP option for XREADGROUP");
}

/** `-ERR The $ ID is meaningless in the context of XREADGROUP: ...` */
export function xreadgroupDollar(): CommandError {
  return err(
    "The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
  );
}

/** `-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.` */
export function xreadGreaterThanId(): CommandError {
  return err(
    "The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
  );
}

/** `-NOGROUP No such key 'k' or consumer group 'g' in XREADGROUP with GROUP option` */
export function xreadgroupNoGroup(key: string, group: string): CommandError {
  return new CommandError(
    "NOGROUP",
    oneLine(
      `No such key '${cString(key)}' or consumer group '${
        cString(group)
      }' in XREADGROUP with GROUP option`,
    ),
  );
}

/** `-NOGROUP No such key 'k' or consumer group 'g'` (XPENDING, XCLAIM, XAUTOCLAIM) */
export function streamNoKeyOrGroup(key: string, group: string): CommandError {
  return new CommandError(
    "NOGROUP",
    oneLine(
      `No such key '${cString(key)}' or consumer group '${cString(group)}'`,
    ),
  );
}

/** `-NOGROUP No such consumer group 'g' for key name 'k'` (XGROUP, XINFO CONSUMERS) */
export function streamNoGroup(group: string, key: string): CommandError {
  return new CommandError(
    "NOGROUP",
    oneLine(
      `No such consumer group '${cString(group)}' for key name '${
        cString(key)
      }'`,
    ),
  );
}

/** `-NOGROUP the consumer group this client was blocked on no longer exists` */
export function xreadgroupGroupGone(): CommandError {
  return new CommandError(
    "NOGROUP",
    "the consumer group this client was blocked on no longer exists",
  );
}

/** `-BUSYGROUP Consumer Group name already exists` */
export function streamBusyGroup(): CommandError {
  return new CommandError("BUSYGROUP", "Consumer Group name already exists");
}

/** `-ERR The XGROUP subcommand requires the key to exist. ...` */
export function xgroupNoKey(): CommandError {
  return err(
    "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
  );
}

/** `-ERR value for ENTRIESREAD must be positive or -1` */
export function xgroupEntriesRead(): CommandError {
  return err("value for ENTRIESREAD must be positive or -1");
}

/** XSETID errors: `-ERR The ID specified in XSETID is smaller than ...` and friends. */
export function xsetidError(
  what: "top" | "maxdeleted" | "entriesadded" | "negative",
): CommandError {
  switch (what) {
    case "top":
      return err(
        "The ID specified in XSETID is smaller than the target stream top item",
      );
    case "maxdeleted":
      return err(
        "The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
      );
    case "entriesadded":
      return err(
        "The entries_added specified in XSETID is smaller than the target stream length",
      );
    case "negative":
      return err("entries_added must be positive");
  }
}

/** `-ERR Invalid min-idle-time argument for XCLAIM` and the other XCLAIM/XAUTOCLAIM argument errors. */
export function xclaimInvalidArgument(
  what: string,
  command: string,
): CommandError {
  return err(`Invalid ${what} argument for ${command}`);
}

/** `-ERR Unrecognized XCLAIM option 'FOO'` */
export function xclaimUnknownOption(option: string): CommandError {
  return err(oneLine(`Unrecognized XCLAIM option '${option}'`));
}

/** `-ERR COUNT must be > 0` (XAUTOCLAIM) */
export function xautoclaimCount(): CommandError {
  return err("COUNT must be > 0");
}

/** `-ERR min or max is not a float` (ZRANGEBYSCORE, ZCOUNT, ...) */
export function minMaxNotFloat(): CommandError {
  return err("min or max is not a float");
}

/** `-ERR min or max not valid string range item` (ZRANGEBYLEX, ZLEXCOUNT, ...) */
export function minMaxNotLexItem(): CommandError {
  return err("min or max not valid string range item");
}

/** `-ERR XX and NX options at the same time are not compatible` (ZADD) */
export function zaddXxNx(): CommandError {
  return err("XX and NX options at the same time are not compatible");
}

/** `-ERR GT, LT, and/or NX options at the same time are not compatible` (ZADD) */
export function zaddGtLtNx(): CommandError {
  return err("GT, LT, and/or NX options at the same time are not compatible");
}

/** `-ERR INCR option supports a single increment-element pair` (ZADD) */
export function zaddIncrSinglePair(): CommandError {
  return err("INCR option supports a single increment-element pair");
}

/** `-ERR resulting score is not a number (NaN)` (ZADD, ZINCRBY) */
export function scoreNan(): CommandError {
  return err("resulting score is not a number (NaN)");
}

/** `-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX` */
export function zrangeLimitNeedsBy(): CommandError {
  return err(
    "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
  );
}

/** `-ERR syntax error, WITHSCORES not supported in combination with BYLEX` */
export function zrangeWithscoresBylex(): CommandError {
  return err(
    "syntax error, WITHSCORES not supported in combination with BYLEX",
  );
}

/** `-ERR at least 1 input key is needed for 'zunionstore' command` */
export function atLeastOneInputKey(command: string): CommandError {
  return err(`at least 1 input key is needed for '${command}' command`);
}

/** `-ERR weight value is not a float` (ZUNIONSTORE WEIGHTS) */
export function weightNotFloat(): CommandError {
  return err("weight value is not a float");
}

/** `-ERR invalid longitude,latitude pair 200.000000,10.000000` (GEOADD and friends; texts are `%f`) */
export function invalidLonLat(lon: string, lat: string): CommandError {
  return err(`invalid longitude,latitude pair ${lon},${lat}`);
}

/** `-ERR unsupported unit provided. please use M, KM, FT, MI` */
export function unsupportedUnit(): CommandError {
  return err("unsupported unit provided. please use M, KM, FT, MI");
}

/** `-ERR need numeric radius` (also `width`, `height`) */
export function needNumeric(what: "radius" | "width" | "height"): CommandError {
  return err(`need numeric ${what}`);
}

/** `-ERR radius cannot be negative` */
export function radiusNegative(): CommandError {
  return err("radius cannot be negative");
}

/** `-ERR height or width cannot be negative` */
export function boxNegative(): CommandError {
  return err("height or width cannot be negative");
}

/** `-ERR could not decode requested zset member` (GEORADIUSBYMEMBER, GEOSEARCH FROMMEMBER) */
export function geoMemberNotFound(): CommandError {
  return err("could not decode requested zset member");
}

/** `-ERR COUNT must be > 0` (GEOSEARCH, GEORADIUS) */
export function geoCountNotPositive(): CommandError {
  return err("COUNT must be > 0");
}

/** `-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options` */
export function geoStoreWithOptions(what: string): CommandError {
  return err(
    `${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
  );
}

/** `-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch` (name as typed) */
export function geoNeedsFrom(command: string): CommandError {
  return err(
    oneLine(
      `exactly one of FROMMEMBER or FROMLONLAT can be specified for ${command}`,
    ),
  );
}

/** `-ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch` (name as typed) */
export function geoNeedsBy(command: string): CommandError {
  return err(
    oneLine(
      `exactly one of BYRADIUS and BYBOX can be specified for ${command}`,
    ),
  );
}

/** `-ERR the ANY argument requires COUNT argument` */
export function geoAnyNeedsCount(): CommandError {
  return err("the ANY argument requires COUNT argument");
}

/** `-ERR Insufficient memory, failed allocating transient memory, COUNT too high.` (XAUTOCLAIM) */
export function xautoclaimCountTooHigh(): CommandError {
  return err(
    "Insufficient memory, failed allocating transient memory, COUNT too high.",
  );
}

// Server and connection groups (COMMAND, CONFIG, DEBUG, SHUTDOWN, CLIENT,
// HELLO, AUTH).

/** `-ERR Invalid command specified` (COMMAND GETKEYS) */
export function getkeysInvalidCommand(): CommandError {
  return err("Invalid command specified");
}

/** `-ERR The command has no key arguments` (COMMAND GETKEYS) */
export function getkeysNoKeys(): CommandError {
  return err("The command has no key arguments");
}

/** `-ERR Invalid number of arguments specified for command` (COMMAND GETKEYS) */
export function getkeysWrongArity(): CommandError {
  return err("Invalid number of arguments specified for command");
}

/** `-ERR Invalid arguments specified for command` (COMMAND GETKEYS) */
export function getkeysInvalidArguments(): CommandError {
  return err("Invalid arguments specified for command");
}

/** `-ERR Unknown option or number of arguments for CONFIG SET - 'foo'` */
export function configSetUnknown(name: string): CommandError {
  return err(
    oneLine(`Unknown option or number of arguments for CONFIG SET - '${name}'`),
  );
}

/** `-ERR CONFIG SET failed (possibly related to argument 'x') - reason` */
export function configSetFailed(name: string, reason: string): CommandError {
  return err(
    oneLine(
      `CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
    ),
  );
}

/** `-ERR The server is running without a config file` (CONFIG REWRITE) */
export function noConfigFile(): CommandError {
  return err("The server is running without a config file");
}

/** `-ERR Rewriting config file: <reason>` */
export function configRewriteFailed(reason: string): CommandError {
  return err(oneLine(`Rewriting config file: ${reason}`));
}

/** `-ERR No shutdown in progress.` (SHUTDOWN ABORT) */
export function noShutdownInProgress(): CommandError {
  return err("No shutdown in progress.");
}

/** `-ERR Errors trying to SHUTDOWN. Check logs.` */
export function shutdownFailed(): CommandError {
  return err("Errors trying to SHUTDOWN. Check logs.");
}

/** `-ERR RESP2 is not supported by this command` (DEBUG PROTOCOL push) */
export function resp2NotSupported(): CommandError {
  return err("RESP2 is not supported by this command");
}

/** `-ERR Wrong protocol type name. ...` (DEBUG PROTOCOL) */
export function debugProtocolType(): CommandError {
  return err(
    "Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
  );
}

/** `-ERR Client names cannot contain spaces, newlines or special characters.` */
export function invalidClientName(): CommandError {
  return err(
    "Client names cannot contain spaces, newlines or special characters.",
  );
}

/** `-ERR lib-name cannot contain spaces, newlines or special characters.` (CLIENT SETINFO) */
export function invalidClientAttr(attr: string): CommandError {
  return err(
    oneLine(`${attr} cannot contain spaces, newlines or special characters.`),
  );
}

/** `-ERR Unrecognized option 'foo'` (CLIENT SETINFO) */
export function unrecognizedOption(option: string): CommandError {
  return err(oneLine(`Unrecognized option '${option}'`));
}

/** `-ERR Unknown client type 'foo'` (CLIENT LIST/KILL TYPE) */
export function unknownClientType(type: string): CommandError {
  return err(oneLine(`Unknown client type '${type}'`));
}

/** `-ERR Invalid client ID` (CLIENT LIST ID) */
export function invalidClientId(): CommandError {
  return err("Invalid client ID");
}

/** `-ERR client-id should be greater than 0` (CLIENT KILL ID) */
export function clientIdNotPositive(): CommandError {
  return err("client-id should be greater than 0");
}

/** `-ERR No such user 'x'` (CLIENT KILL USER) */
export function noSuchUser(user: string): CommandError {
  return err(oneLine(`No such user '${user}'`));
}

/** `-ERR No such client` (CLIENT KILL addr) */
export function noSuchClient(): CommandError {
  return err("No such client");
}

/** `-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR` */
export function unblockReason(): CommandError {
  return err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
}

/** `-ERR AUTH <password> called without any password configured ...` */
export function authWithoutPassword(): CommandError {
  return err(
    "AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
  );
}

/** `-ERR Protocol version is not an integer or out of range` (HELLO) */
export function protocolVersionNotInteger(): CommandError {
  return err("Protocol version is not an integer or out of range");
}

/** `-NOPROTO unsupported protocol version` (HELLO) */
export function noProto(): CommandError {
  return new CommandError("NOPROTO", "unsupported protocol version");
}

/** `-ERR Syntax error in HELLO option 'foo'` */
export function helloSyntaxError(option: string): CommandError {
  return err(oneLine(`Syntax error in HELLO option '${option}'`));
}

/** `-NOAUTH HELLO must be called with the client already authenticated, ...` */
export function helloNoAuth(): CommandError {
  return new CommandError(
    "NOAUTH",
    "HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
  );
}

/** `-OOM command not allowed when used memory > 'maxmemory'.` */
export function oomError(): CommandError {
  return new CommandError(
    "OOM",
    "command not allowed when used memory > 'maxmemory'.",
  );
}

/**
 * `-EXECABORT Transaction discarded because of: <error>`: EXEC refused
 * before it ran (Redis's execCommandAbort), e.g. by the OOM check.
 */
export function execAbortedBy(error: CommandError): CommandError {
  return new CommandError(
    "EXECABORT",
    `Transaction discarded because of: ${error.line}`,
  );
}

/** `-ERR Background append only file rewriting already in progress` */
export function aofRewriteInProgress(): CommandError {
  return err("Background append only file rewriting already in progress");
}

/** `-ERR Can't execute an AOF background rewriting. Please check the server logs ...` */
export function aofRewriteFailed(): CommandError {
  return err(
    "Can't execute an AOF background rewriting. Please check the server logs for more information.",
  );
}

/** `-MISCONF Errors writing to the AOF file: <strerror>` (writes refused after a failed AOF write). */
export function aofWriteError(reason: string): CommandError {
  return new CommandError(
    "MISCONF",
    `Errors writing to the AOF file: ${reason}`,
  );
}

/** `-NOSCRIPT No matching script. Please use EVAL.` */
export function noScript(): CommandError {
  return new CommandError("NOSCRIPT", "No matching script. Please use EVAL.");
}

/** `-BUSY Redis is busy running a script. ...` (other clients while a script runs past busy-reply-threshold). */
export function busyScript(isEval: boolean): CommandError {
  return new CommandError(
    "BUSY",
    `Redis is busy running a script. You can only call ${
      isEval ? "SCRIPT" : "FUNCTION"
    } KILL or SHUTDOWN NOSAVE.`,
  );
}

/** `-NOTBUSY No scripts in execution right now.` */
export function notBusy(): CommandError {
  return new CommandError("NOTBUSY", "No scripts in execution right now.");
}

/** `-UNKILLABLE Sorry the script already executed write commands ...` */
export function unkillableScript(): CommandError {
  return new CommandError(
    "UNKILLABLE",
    "Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
  );
}

/** `-BUSYKEY Target key name already exists.` (RESTORE without REPLACE) */
export function busyKey(): CommandError {
  return new CommandError("BUSYKEY", "Target key name already exists.");
}

/** `-ERR DUMP payload version or checksum are wrong` */
export function badDumpPayload(): CommandError {
  return err("DUMP payload version or checksum are wrong");
}

/** `-ERR Bad data format` (RESTORE of a malformed payload) */
export function badDataFormat(): CommandError {
  return err("Bad data format");
}

/** `-ERR Invalid TTL value, must be >= 0` */
export function invalidTtl(): CommandError {
  return err("Invalid TTL value, must be >= 0");
}

/** `-ERR Invalid IDLETIME value, must be >= 0` */
export function invalidIdletime(): CommandError {
  return err("Invalid IDLETIME value, must be >= 0");
}

/** `-ERR Invalid FREQ value, must be >= 0 and <= 255` */
export function invalidFreq(): CommandError {
  return err("Invalid FREQ value, must be >= 0 and <= 255");
}

/** `-ERR argument must be a memory value bigger than 1 and smaller than 4gb` (DEBUG QUICKLIST-PACKED-THRESHOLD) */
export function badPackedThreshold(): CommandError {
  return err(
    "argument must be a memory value bigger than 1 and smaller than 4gb",
  );
}

/** `-WRONGTYPE Key is not a valid HyperLogLog string value.` (a string that is no HLL) */
export function notHllValue(): CommandError {
  return new CommandError(
    "WRONGTYPE",
    "Key is not a valid HyperLogLog string value.",
  );
}

/** `-INVALIDOBJ Corrupted HLL object detected` (an HLL whose sparse code is broken) */
export function corruptedHll(): CommandError {
  return new CommandError("INVALIDOBJ", "Corrupted HLL object detected");
}

/** `-ERR The specified key does not exist` (PFDEBUG) */
export function pfdebugNoKey(): CommandError {
  return err("The specified key does not exist");
}

/** `-ERR Unknown PFDEBUG subcommand '<name>'` */
export function unknownPfdebugSubcommand(name: string): CommandError {
  return err(`Unknown PFDEBUG subcommand '${name}'`);
}

/** `-ERR HLL encoding is not sparse` (PFDEBUG DECODE of a dense HLL) */
export function hllNotSparse(): CommandError {
  return err("HLL encoding is not sparse");
}

/** `-ERR TESTFAILED <what>` (PFSELFTEST) */
export function hllTestFailed(what: string): CommandError {
  return err(what);
}

/** `-ERR One or more scores can't be converted into double` (SORT without ALPHA) */
export function sortScoresNotDouble(): CommandError {
  return err("One or more scores can't be converted into double");
}

/** `-NOPERM this user has no permissions to run the '<command>' command` */
export function noPermCommand(fullName: string): CommandError {
  return new CommandError(
    "NOPERM",
    `this user has no permissions to run the '${fullName}' command`,
  );
}

/** `-NOPERM this user has no permissions to access one of the keys used as arguments` */
export function noPermKey(): CommandError {
  return new CommandError(
    "NOPERM",
    "this user has no permissions to access one of the keys used as arguments",
  );
}

/** `-NOPERM this user has no permissions to access one of the channels used as arguments` */
export function noPermChannel(): CommandError {
  return new CommandError(
    "NOPERM",
    "this user has no permissions to access one of the channels used as arguments",
  );
}

/** `-NOPERM ACLs rules changed between the moment the transaction was accumulated and its execution. ...` (EXEC) */
export function noPermInExec(reason: string): CommandError {
  return new CommandError(
    "NOPERM",
    `ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`,
  );
}

/** `-EXECABORT Transaction discarded because of: <error>` (an EXEC refused before it ran) */
export function execAbortBecause(
  error: CommandError,
  withoutCode = false,
): CommandError {
  return new CommandError(
    "EXECABORT",
    `Transaction discarded because of: ${
      withoutCode ? error.message : error.line
    }`,
  );
}

/** `-ERR Error in ACL SETUSER modifier '<rule>': <reason>` */
export function aclSetUserRuleError(
  rule: string,
  reason: string,
): CommandError {
  return err(`Error in ACL SETUSER modifier '${cString(rule)}': ${reason}`);
}

/** `-ERR Usernames can't contain spaces or null characters` */
export function aclUsernameSpaces(): CommandError {
  return err("Usernames can't contain spaces or null characters");
}

/** `-ERR Unmatched parenthesis in acl selector starting at '<word>'.` */
export function aclUnmatchedParenthesis(word: string): CommandError {
  return err(
    `Unmatched parenthesis in acl selector starting at '${cString(word)}'.`,
  );
}

/** `-ERR Unknown category '<name>'` (ACL CAT; at most 128 bytes of the name) */
export function aclUnknownCategory(name: string): CommandError {
  return err(`Unknown category '${cString(name).slice(0, 128)}'`);
}

/** `-ERR The 'default' user cannot be removed` */
export function aclDeleteDefault(): CommandError {
  return err("The 'default' user cannot be removed");
}

/** `-ERR This Redis instance is not configured to use an ACL file. ...` (ACL LOAD/SAVE) */
export function aclNoFile(): CommandError {
  return err(
    "This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.",
  );
}

/** `-ERR There was an error trying to save the ACLs. ...` (ACL SAVE) */
export function aclSaveFailed(): CommandError {
  return err(
    "There was an error trying to save the ACLs. Please check the server logs for more information",
  );
}

/** `-ERR <errors>` (ACL LOAD: every problem of the file on one line) */
export function aclLoadFailed(errors: string): CommandError {
  return err(errors);
}

/** `-ERR ACL GENPASS argument must be the number of bits ...` */
export function aclGenpassBits(): CommandError {
  return err(
    "ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096",
  );
}

/** `-ERR User '<name>' not found` (ACL DRYRUN) */
export function aclUserNotFound(name: string): CommandError {
  return err(`User '${cString(name)}' not found`);
}

/** `-ERR Command '<name>' not found` (ACL DRYRUN) */
export function aclCommandNotFound(name: string): CommandError {
  return err(`Command '${cString(name)}' not found`);
}

/** `-LOADING Redis is loading the dataset in memory` (commands not flagged `loading`, during a load). */
export function loadingDataset(): CommandError {
  return new CommandError("LOADING", "Redis is loading the dataset in memory");
}

/** `-ERR Background save already in progress` (SAVE, BGSAVE while one runs). */
export function bgsaveInProgress(): CommandError {
  return err("Background save already in progress");
}

/** `-ERR Another child process is active (AOF?): ...` (BGSAVE during an AOF rewrite). */
export function bgsaveChildActive(): CommandError {
  return err(
    "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  );
}

/** `-ERR` with no text: Redis's shared.err (SAVE or DEBUG RELOAD could not write the file). */
export function bareError(): CommandError {
  return new CommandError("ERR", "");
}

/** `-MISCONF Redis is configured to save RDB snapshots, ...` (writes refused after a failed BGSAVE). */
export function bgsaveMisconf(): CommandError {
  return new CommandError(
    "MISCONF",
    "Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  );
}

/** `-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.` */
export function debugReloadOption(): CommandError {
  return err(
    "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
  );
}

/** `-ERR Error trying to load the RDB dump, check server logs.` */
export function rdbReloadFailed(): CommandError {
  return err("Error trying to load the RDB dump, check server logs.");
}

/** `-ERR BY option of SORT denied due to insufficient ACL permissions.` (also GET) */
export function sortOptionDenied(option: "BY" | "GET"): CommandError {
  return err(
    `${option} option of SORT denied due to insufficient ACL permissions.`,
  );
}

/** `-READONLY You can't write against a read only replica.` */
export function readOnlyReplica(): CommandError {
  return new CommandError(
    "READONLY",
    "You can't write against a read only replica.",
  );
}

/** `-NOREPLICAS Not enough good replicas to write.` (min-replicas-to-write) */
export function noGoodReplicas(): CommandError {
  return new CommandError("NOREPLICAS", "Not enough good replicas to write.");
}

/** `-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.` */
export function masterLinkDown(): CommandError {
  return new CommandError(
    "MASTERDOWN",
    "Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  );
}

/** `-ERR A client can only redirect to a single other client` (CLIENT TRACKING) */
export function trackingRedirectTwice(): CommandError {
  return err("A client can only redirect to a single other client");
}

/** `-ERR The client ID you want redirect to does not exist` (CLIENT TRACKING) */
export function trackingRedirectMissing(): CommandError {
  return err("The client ID you want redirect to does not exist");
}

/** `-ERR PREFIX option requires BCAST mode to be enabled` */
export function trackingPrefixNeedsBcast(): CommandError {
  return err("PREFIX option requires BCAST mode to be enabled");
}

/** `-ERR You can't switch BCAST mode on/off before disabling tracking ...` */
export function trackingBcastSwitch(): CommandError {
  return err(
    "You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  );
}

/** `-ERR OPTIN and OPTOUT are not compatible with BCAST` */
export function trackingBcastOptInOut(): CommandError {
  return err("OPTIN and OPTOUT are not compatible with BCAST");
}

/** `-ERR You can't specify both OPTIN mode and OPTOUT mode` */
export function trackingOptInAndOut(): CommandError {
  return err("You can't specify both OPTIN mode and OPTOUT mode");
}

/** `-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking ...` */
export function trackingOptSwitch(): CommandError {
  return err(
    "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  );
}

/**
 * `-ERR Prefix 'p' overlaps with an existing prefix 'q'. ...` (`existing`)
 * or `... with another provided prefix 'q'. ...`
 */
export function trackingPrefixOverlap(
  prefix: string,
  other: string,
  existing: boolean,
): CommandError {
  return err(
    `Prefix '${prefix}' overlaps with ${
      existing ? "an existing" : "another provided"
    } prefix '${other}'. Prefixes for a single client must not overlap.`,
  );
}

/** `-ERR CLIENT CACHING can be called only when the client is in tracking mode ...` */
export function trackingCachingNotTracking(): CommandError {
  return err(
    "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
  );
}

/** `-ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.` */
export function trackingCachingYes(): CommandError {
  return err(
    "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
  );
}

/** `-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.` */
export function trackingCachingNo(): CommandError {
  return err(
    "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
  );
}

/** `-ERR This instance has cluster support disabled` */
export function clusterDisabled(): CommandError {
  return err("This instance has cluster support disabled");
}

/** `-ERR No samples available for event '<event>'` (LATENCY GRAPH) */
export function noLatencySamples(event: string): CommandError {
  return err(`No samples available for event '${event}'`);
}

/** `-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string` */
export function migrateKeysNeedsEmptyKey(): CommandError {
  return err(
    "When using MIGRATE KEYS option, the key argument must be set to the empty string",
  );
}

/** `-ERR Not an sds encoded string.` (DEBUG SDSLEN) */
export function notSdsString(): CommandError {
  return err("Not an sds encoded string.");
}

/** `-ERR Not a listpack encoded object.` / `-ERR Not a quicklist encoded object.` (DEBUG) */
export function notEncodedAs(encoding: "listpack" | "quicklist"): CommandError {
  return err(`Not a ${encoding} encoded object.`);
}

/** `-ERR Bad number of keys provided` (FCALL with a numkeys that is no integer) */
export function badNumberOfKeys(): CommandError {
  return err("Bad number of keys provided");
}
