/**
 * Differential suite for scripting: EVAL/EVALSHA and their _RO forms,
 * SCRIPT, FUNCTION and FCALL against redis-server 7.0. Covers the redis
 * API, conversions both ways in RESP2 and RESP3, the sandbox, errors, the
 * Lua libraries (cjson, cmsgpack, bit, struct), KILL and BUSY, and FUNCTION
 * DUMP/RESTORE payloads.
 */
import { assertEquals } from "../_deps.ts";
import {
  differential,
  type Script,
  type Step,
} from "../_harness/differential.ts";
import { spawnServer } from "../_harness/spawn.ts";
import { REDIS_SERVER } from "../_harness/tools.ts";

/** An EVAL step with no keys. */
function ev(body: string, ...rest: (string | number)[]): (string | number)[] {
  return ["EVAL", body, ...(rest.length === 0 ? [0] : rest)];
}

const LIB = `#!lua name=mylib
local function get(keys, args) return redis.call('GET', keys[1]) end
redis.register_function('myget', get)
redis.register_function{function_name='myset', callback=function(keys, args)
  return redis.call('SET', keys[1], args[1]) end, description='sets a key'}
redis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}`;

// One function per library where replies list them: Redis keeps a
// library's functions in a dict, whose order depends on a random seed.
const LIB_ONE = `#!lua name=one
redis.register_function{function_name='ro1', callback=function() return 'ro' end, flags={'no-writes'}, description='read only'}`;

const LIB2 = `#!lua name=lib2
redis.register_function('f2', function(keys, args) return #keys + #args end)`;

// One MONITOR line on connection 1, its time and client address masked.
function monitorRead(): Step {
  return {
    conn: 1,
    readOnly: true,
    mask: (raw) =>
      raw.replace(
        /^\+\d+\.\d{6} \[(\d+) (?!lua\])[^\]]+\]/,
        "+<time> [$1 <addr>]",
      )
        .replace(/^\+\d+\.\d{6} /, "+<time> "),
    why: "timestamps and client ports differ",
  };
}

const dumpMask: Step["mask"] = (raw) =>
  raw.startsWith("$") ? "$<payload>" : raw;

// A busy script on connection 1, BUSY on connection 0, then `kill`.
function busyCase(
  body: string,
  kill: (string | number)[],
  after: Script = [],
): Script {
  return [
    ["CONFIG", "SET", "busy-reply-threshold", "100"],
    // Once the script is busy (PING from anyone gets -BUSY), not after a pause.
    {
      cmd: ["EVAL", body, 0],
      conn: 1,
      noReply: true,
      after: { cmd: ["PING"], until: (raw) => raw.startsWith("-BUSY") },
    },
    { cmd: ["PING"] },
    ["SET", "x", "1"],
    kill,
    ...after,
    ["CONFIG", "SET", "busy-reply-threshold", "5000"],
  ];
}

const cases: Record<string, Script | { steps: Script; protocol: 3 }> = {
  "EVAL returns integers, bulks, arrays, nil and booleans": [
    ev("return 1"),
    ev("return 3.99"),
    ev("return -3.99"),
    ev("return 'hello'"),
    ev("return {1, 'a', {2, 3}, true, false, 'after'}"),
    ev("return {1, 2, nil, 4}"),
    ev("return nil"),
    ev("return true"),
    ev("return false"),
    ev("return {}"),
    ev("return 2^53"),
    ev("return 1e20"),
    ev("return -1e20"),
    ev("return 0/0"),
  ],
  "EVAL status and error tables": [
    ev("return {ok='FINE'}"),
    ev("return redis.status_reply('ALSO FINE')"),
    ev("return {err='MYERR custom'}"),
    ev("return {err='lower case'}"),
    ev("return redis.error_reply('XX bad')"),
    ev("return redis.error_reply('bad')"),
    ev("return redis.error_reply('-ERR x')"),
    ev("return redis.error_reply(1, 2)"),
    ev("return redis.status_reply()"),
    ev("return {err='multi\\nline'}"),
    ev("return {ok='multi\\r\\nline'}"),
    ev("return {1, {err='nested error'}, 3}"),
  ],
  "EVAL RESP3 types reach a RESP2 client flattened": [
    ev("return {double=1.5}"),
    ev("return {double=3}"),
    ev("return {map={a=1}}"),
    ev("return {set={a=true}}"),
    ev("return {big_number='123456789012345678901234567890'}"),
    ev("return {verbatim_string={format='txt', string='hello'}}"),
    ev("redis.setresp(3) return true"),
    ev("redis.setresp(3) return false"),
  ],
  "EVAL RESP3 types reach a RESP3 client": {
    protocol: 3,
    steps: [
      ev("return {double=1.5}"),
      ev("return {map={a=1}}"),
      ev("return {set={a=true}}"),
      ev("return {big_number='123456789012345678901234567890'}"),
      ev("return {verbatim_string={format='txt', string='hello'}}"),
      ev("return nil"),
      ev("return true"),
      ev("return false"),
      ev("redis.setresp(3) return true"),
      ev("redis.setresp(3) return false"),
      ev("return {1, nil, 3}"),
    ],
  },
  "redis.call replies in RESP2 become Lua values": [
    ["RPUSH", "l", "a", "b"],
    ["HSET", "h", "f", "v"],
    ["ZADD", "z", "1.5", "m"],
    ev("return redis.call('GET', 'nokey') == false"),
    ev("return type(redis.call('GET', 'nokey'))"),
    ev("return redis.call('SET', 'k', 'v').ok"),
    ev("return redis.call('PING')"),
    ev("return redis.call('LRANGE', 'l', 0, -1)"),
    ev("return redis.call('HGETALL', 'h')"),
    ev("return redis.call('ZSCORE', 'z', 'm')"),
    ev("return redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES')"),
    ev("return type(redis.call('ZSCORE', 'z', 'm'))"),
    ev("return redis.call('INCR', 'n')"),
    ev("return redis.call('EXISTS', 'k')"),
    ev("local r = redis.call('HGETALL', 'nokey') return #r"),
  ],
  "redis.call replies in RESP3 become Lua values (redis.setresp 3)": [
    ["HSET", "h", "f", "v"],
    ["ZADD", "z", "1.5", "m"],
    ["SADD", "s", "x"],
    ev("redis.setresp(3) return redis.call('HGETALL', 'h').map.f"),
    ev("redis.setresp(3) return redis.call('ZSCORE', 'z', 'm').double"),
    ev("redis.setresp(3) return type(redis.call('SMEMBERS', 's').set)"),
    ev("redis.setresp(3) return redis.call('SMEMBERS', 's').set.x"),
    ev("redis.setresp(3) return type(redis.call('GET', 'nokey'))"),
    ev("redis.setresp(3) return redis.call('HGETALL', 'h')"),
    ev(
      "redis.setresp(3) return redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES')",
    ),
    ev("redis.setresp(4)"),
    ev("redis.setresp()"),
  ],
  "redis.call arguments: numbers, binary strings and bad types": [
    ev("return redis.call('SET', KEYS[1], 1.5)", 1, "fk"),
    ["GET", "fk"],
    ev("return redis.call('SET', KEYS[1], 0.1)", 1, "fk"),
    ["GET", "fk"],
    ev("return redis.call('SET', KEYS[1], 12345678901234)", 1, "fk"),
    ["GET", "fk"],
    ev(
      "return redis.call('SET', KEYS[1], ARGV[1])",
      1,
      "bin",
      "a\r\nb\x00\xff",
    ),
    ["GET", "bin"],
    ev("return redis.call('GET', KEYS[1])", 1, "bin"),
    ev("return redis.call('SET', 'k', true)"),
    ev("return redis.call('PING', nil)"),
    ev("return redis.call('GET', {})"),
    ev("return redis.call()"),
    ev("return redis.pcall()"),
  ],
  "KEYS and ARGV": [
    ev(
      "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}",
      2,
      "a",
      "b",
      "c",
      "d",
    ),
    ev("return KEYS", 0),
    ["EVAL", "return 1", 3, "a"],
    ["EVAL", "return 1", -1],
    ["EVAL", "return 1", "x"],
    ["EVAL", "return 1"],
  ],
  "errors raised by scripts": [
    ev("return redis.call('nosuch')"),
    ev("return redis.call('get')"),
    ev("redis.call('set','x','1'); return redis.call('lpush','x','1')"),
    ev("error('boom')"),
    ev("error({err='MYERR custom'})"),
    ev("error('x', 0)"),
    ev("local a = nil; return a.b"),
    ev("return 1 +"),
    ev("\n\nerror('line three')"),
    ev("return redis.call('eval', 'return 1', 0)"),
    ev("return redis.call('multi')"),
    ev("return redis.call('blpop', 'l', 0)"),
    ev("return redis.call('subscribe', 'c')"),
    ev("return redis.call('config', 'nosuch')"),
  ],
  "redis.pcall and pcall catch errors": [
    ev("return redis.pcall('nosuch')"),
    ev("local t = redis.pcall('nosuch'); return t.err"),
    ["SET", "str", "x"],
    ev("return redis.pcall('incr', 'str')"),
    ev("return {pcall(function() error('x') end)}"),
    ev("return {pcall(function() redis.call('nosuch') end)}"),
    ev(
      "local ok, e = pcall(function() error({err='E1 tbl'}) end) return {tostring(ok), e}",
    ),
    ev(
      "local ok, e = pcall(redis.call, 'GET', 'str') return {tostring(ok), e}",
    ),
    ev("local ok, e = pcall(nil) return {tostring(ok), e}"),
    ev("return {pcall(function(a, b) return a + b end, 1, 2)}"),
    ev("return select('#', pcall(function() return 1, nil, 3 end))"),
    ev(
      "local ok, e = xpcall(function() error('y') end, function(m) return 'handled: ' .. m end) return e",
    ),
  ],
  "EVAL_RO refuses writes": [
    ["SET", "k", "v"],
    ["EVAL_RO", "return redis.call('GET', KEYS[1])", 1, "k"],
    ["EVAL_RO", "return redis.call('SET', KEYS[1], 'x')", 1, "k"],
    ["EVAL_RO", "return redis.pcall('DEL', KEYS[1])", 1, "k"],
    ["EVAL_RO", "return redis.call('PUBLISH', 'c', 'm')", 0],
    ["GET", "k"],
    ["EVAL", "#!lua flags=no-writes\nreturn redis.call('SET', 'k', 'y')", 0],
    ["EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", 0],
    ["EVAL_RO", "#!lua\nreturn 1", 0],
    ["EVAL_RO", "#!lua flags=no-writes\nreturn 2", 0],
  ],
  "shebang flags": [
    ["EVAL", "#!lua\nreturn 1", 0],
    ["EVAL", "#!lua flags=allow-oom,allow-stale,no-cluster\nreturn 2", 0],
    ["EVAL", "#!lua flags=\nreturn 3", 0],
    ["EVAL", "#!lua flags=bad-flag\nreturn 4", 0],
    ["EVAL", "#!lua name=x\nreturn 5", 0],
    ["EVAL", "#!python\nreturn 6", 0],
    ["EVAL", "#!lua\nerror('on line two')", 0],
  ],
  "EVALSHA and the script cache": [
    ["SCRIPT", "FLUSH"],
    ["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", 0],
    ["EVALSHA", "ffff", 0],
    ["SCRIPT", "LOAD", "return 'loaded'"],
    ["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0],
    ["EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", 0],
    ["EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0],
    ["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "ffff"],
    ev("return 'via eval'"),
    ["SCRIPT", "EXISTS", "e9de4faf2a7ea9f4d4aa5a0dcbbad13c9e04bfc1"],
    ["SCRIPT", "LOAD", "return +"],
    ["SCRIPT", "FLUSH", "ASYNC"],
    ["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"],
    ["SCRIPT", "FLUSH", "SYNC"],
    ["SCRIPT", "FLUSH", "BAD"],
    ["SCRIPT", "KILL"],
    ["SCRIPT", "NOSUCH"],
    ["SCRIPT", "HELP"],
  ],
  "the sandbox: globals, readonly tables, removed functions": [
    ev("x = 1"),
    ev("return a"),
    ev("print('x')"),
    ev("return loadfile"),
    ev("return dofile"),
    ev("return os"),
    ev("return io"),
    ev("return setfenv"),
    ev("return debug"),
    ev("return require"),
    ev("setmetatable(_G, {})"),
    ev("local g = getmetatable(_G) g.__index = {}"),
    ev("redis = function() return 1 end"),
    ev("_G = {}"),
    ev("redis.call = function() return 1 end"),
    ev("cjson.encode = function() return 1 end"),
    ev("cmsgpack.pack = function() return 1 end"),
    ev("bit.band = function() return 1 end"),
    ev("string.x = 1"),
    ev("rawset(_G, 'x', 1)"),
    ev(
      "local t = {} for k, v in pairs(_G) do t[#t + 1] = k end table.sort(t) return t",
    ),
    ev(
      "local t = {} for k, v in pairs(redis) do t[#t + 1] = k end table.sort(t) return t",
    ),
    ev(
      "local t = {} for k, v in pairs(string) do t[#t + 1] = k end table.sort(t) return t",
    ),
    ev("local f = loadstring('return 1 + 1') return f()"),
    ev("local f = loadstring('y = 2') return {pcall(f)}"),
    ev("return rawget(_G, 'nosuch') == nil"),
    ev("return type(_G)"),
  ],
  "Lua 5.1 semantics": [
    ev("return tostring(10/2)"),
    ev("return tostring(2^53)"),
    ev("return tostring(1e15)"),
    ev(
      "return string.format('%d %5.2f %s %x %q', 3.7, 1/3, 1.5, 255, 'a\\0b')",
    ),
    ev("return table.getn({1,2,3})"),
    ev("return math.mod(7, 3)"),
    ev("return unpack({1, 2, 3})"),
    ev("return {unpack({1, 2, 3})}"),
    ev("return select('#', unpack({1, nil, 3}))"),
    ev("return tostring(tonumber('0x10'))"),
    ev("return _VERSION"),
    ev("return string.rep('ab', 3) .. string.upper('x')"),
    ev("return tostring(3 % -2) .. ' ' .. tostring(-3 % 2)"),
    ev("return string.gsub('hello world', '%w+', '%0 %0')"),
    ev("return {string.find('abc', 'b', 1, true)}"),
    ev(
      "local t = {} for w in string.gmatch('one two three', '%a+') do t[#t+1] = w end return t",
    ),
    ev("return tostring(math.huge) .. tostring(-math.huge)"),
    ev("local t = {3, 1, 2} table.sort(t) return t"),
    ev(
      "local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return t",
    ),
    ev("return table.concat({1, 2, 3}, ',')"),
    ev("return coroutine.wrap(function() coroutine.yield(5) end)()"),
    ev("return string.byte('A') + #'abc'"),
  ],
  "math.random is Redis's generator": [
    ev(
      "math.randomseed(42) return {math.random(1000000), tostring(math.random()), math.random(5, 10)}",
    ),
    ev("math.randomseed(7) return math.random(100)"),
    ev("return math.random(0)"),
    ev("return math.random(1, 2, 3)"),
  ],
  "redis.sha1hex, redis.log, constants, replicate_commands": [
    ev("return redis.sha1hex('')"),
    ev("return redis.sha1hex('Pizza & Mandolino')"),
    ev("return redis.sha1hex()"),
    ev("redis.log(redis.LOG_WARNING, 'from a script', 1) return 1"),
    ev("redis.log(10, 'x')"),
    ev("redis.log(redis.LOG_WARNING)"),
    ev(
      "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
    ),
    ev(
      "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
    ),
    ev("return redis.REDIS_VERSION"),
    ev("return redis.REDIS_VERSION_NUM"),
    ev("return redis.replicate_commands()"),
    ev("redis.set_repl(redis.REPL_ALL) return 1"),
    ev("redis.set_repl(77)"),
    ev("return redis.breakpoint()"),
    ev("redis.debug('x') return 1"),
    ev("return redis.acl_check_cmd('get', 'k')"),
    ev("return redis.acl_check_cmd('nosuch')"),
  ],
  "cjson": [
    ev("return cjson.encode({1, 2, 3})"),
    ev("return cjson.encode({a = 1})"),
    ev("return cjson.encode({})"),
    ev("return cjson.encode('a\"b\\\\c/d\\n\\1')"),
    ev("return cjson.encode(1.5)"),
    ev("return cjson.encode(0.1)"),
    ev("return cjson.encode(123456789012345)"),
    ev("return cjson.encode({true, false, cjson.null})"),
    ev("return cjson.encode({[1] = 1, [5] = 5})"),
    ev("return cjson.encode({[1] = 1, [20] = 5})"),
    ev("return cjson.encode(function() end)"),
    ev("return cjson.encode(0/0)"),
    ev("return cjson.encode({a = {b = {c = {1, 2}}}})"),
    ev("return cjson.decode('[1, 2, 3]')"),
    ev('return cjson.decode(\'{"a": [1, {"b": "c"}]}\').a[2].b'),
    ev("return cjson.decode('\"\\\\u00e9\\\\n\"')"),
    ev("return tostring(cjson.decode('null') == cjson.null)"),
    ev("return cjson.decode('1.5e3')"),
    ev("return cjson.decode('[1, 2')"),
    ev("return cjson.decode('{1: 2}')"),
    ev("return cjson.decode('')"),
    ev("return cjson.decode('[1] x')"),
    ev("return cjson.decode('tru')"),
    ev('return cjson.encode(cjson.decode(\'{"k":[1,2.5,"s",true,null]}\'))'),
  ],
  "cmsgpack": [
    ev(
      "return cmsgpack.pack(1, -1, 127, 128, -33, 65536, -40000, 2^32, -2^40)",
    ),
    ev("return cmsgpack.pack('abc', ('x'):rep(40), true, false, 1.5, 0.1)"),
    ev("return cmsgpack.pack({1, 2, 3})"),
    ev("return cmsgpack.pack({a = 1})"),
    ev("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}))}"),
    ev(
      "local t = cmsgpack.unpack(cmsgpack.pack({a = 'x', b = {1, 2}})) return {t.a, t.b[2]}",
    ),
    ev("return cmsgpack.unpack('\\196')"),
    ev("return cmsgpack.unpack('\\193')"),
    ev("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}"),
    ev("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}"),
    ev("return tostring(cmsgpack.unpack(cmsgpack.pack(0.5)))"),
    ev("return cmsgpack.pack()"),
  ],
  "bit and struct": [
    ev(
      "return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0)}",
    ),
    ev(
      "return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(1, 33), bit.ror(1, 1)}",
    ),
    ev(
      "return {bit.tohex(255), bit.tohex(255, -4), bit.tohex(-1), bit.tobit(2^32 + 5), bit.bswap(0x12345678)}",
    ),
    ev("return bit.band('x')"),
    ev("return struct.pack('>I2i4', 513, -2)"),
    ev("return {struct.unpack('>I2i4', struct.pack('>I2i4', 513, -2))}"),
    ev(
      "return {struct.unpack('<hHbBl', struct.pack('<hHbBl', -2, 65535, -1, 255, -5))}",
    ),
    ev("return {struct.unpack('s', struct.pack('s', 'hello'))}"),
    ev("return {struct.unpack('c3', 'abcdef')}"),
    ev("return struct.size('>iId')"),
    ev("return {struct.unpack('>d', struct.pack('>d', 1.5))}"),
    ev("return struct.pack('q', 1)"),
  ],
  "effects of scripts are visible and atomic": [
    ev(
      "redis.call('SET', KEYS[1], 'a') redis.call('APPEND', KEYS[1], 'b') return redis.call('GET', KEYS[1])",
      1,
      "k",
    ),
    ["GET", "k"],
    ev("redis.call('SET', 'k2', 'v') error('after write')"),
    ["GET", "k2"],
    ev(
      "redis.call('SELECT', 1) redis.call('SET', 'db1key', 'v') return redis.call('DBSIZE')",
    ),
    ["EXISTS", "db1key"],
    ["SELECT", "1"],
    ["GET", "db1key"],
    ["SELECT", "0"],
  ],
  "EVAL inside MULTI": [
    ["MULTI"],
    ev("return redis.call('INCR', 'c')"),
    ev("return redis.call('INCR', 'c')"),
    ["EXEC"],
  ],
  "FUNCTION LOAD, FCALL, LIST, DELETE": [
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "LOAD", LIB],
    ["FUNCTION", "LOAD", LIB],
    ["FUNCTION", "LOAD", "REPLACE", LIB],
    ["FCALL", "myset", 1, "fk", "val"],
    ["FCALL", "myget", 1, "fk"],
    ["FCALL_RO", "myget", 1, "fk"],
    ["FCALL_RO", "ro", 0],
    ["FCALL", "nosuch", 0],
    ["FCALL", "myget", 5, "fk"],
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "LOAD", LIB_ONE],
    ["FUNCTION", "LIST"],
    ["FUNCTION", "LIST", "WITHCODE"],
    ["FUNCTION", "LIST", "LIBRARYNAME", "on*"],
    ["FUNCTION", "LIST", "LIBRARYNAME", "zz*"],
    ["FUNCTION", "LIST", "BAD"],
    ["FUNCTION", "STATS"],
    ["FUNCTION", "DELETE", "one"],
    ["FUNCTION", "DELETE", "one"],
    ["FCALL", "ro1", 0],
    ["FUNCTION", "KILL"],
    ["FUNCTION", "HELP"],
    ["FUNCTION", "FLUSH"],
  ],
  "FUNCTION LIST and STATS in RESP3": {
    protocol: 3,
    steps: [
      ["FUNCTION", "FLUSH"],
      ["FUNCTION", "LOAD", LIB_ONE],
      ["FUNCTION", "LIST", "WITHCODE"],
      ["FUNCTION", "STATS"],
      ["FCALL", "ro1", 0],
      ["FUNCTION", "FLUSH"],
    ],
  },
  "FUNCTION LOAD errors": [
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "LOAD", "return 1"],
    ["FUNCTION", "LOAD", "#!lua\nreturn 1"],
    ["FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"],
    ["FUNCTION", "LOAD", "#!lua name=x foo=bar\nreturn 1"],
    ["FUNCTION", "LOAD", "#!nosuch name=x\nreturn 1"],
    ["FUNCTION", "LOAD", "#!lua name=x\nreturn 1"],
    ["FUNCTION", "LOAD", "#!lua name=x\nreturn +"],
    ["FUNCTION", "LOAD", "#!lua name=x\nerror('oops')"],
    ["FUNCTION", "LOAD", "#!lua name=x\nredis.call('ping')"],
    ["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f', 1)"],
    [
      "FUNCTION",
      "LOAD",
      "#!lua name=x\nredis.register_function('bad name', function() end)",
    ],
    [
      "FUNCTION",
      "LOAD",
      "#!lua name=x\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)",
    ],
    [
      "FUNCTION",
      "LOAD",
      "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, flags={'bad'}}",
    ],
    [
      "FUNCTION",
      "LOAD",
      "#!lua name=x\nredis.register_function{function_name='f', callback=function() end, other=1}",
    ],
    ["FUNCTION", "LOAD", "#!lua name=x\nredis.register_function()"],
    ["FUNCTION", "LOAD", "#!lua name=x\nlocal a = b"],
    ["FUNCTION", "LOAD", LIB],
    ["FUNCTION", "LOAD", LIB_ONE],
    ["FUNCTION", "LOAD", LIB_ONE.replace("name=one", "name=other")],
    ["FUNCTION", "LOAD", "REPLACEX", LIB],
    ["FUNCTION", "FLUSH", "BAD"],
    ["FUNCTION", "FLUSH", "SYNC"],
  ],
  "FCALL errors and flags": [
    ["FUNCTION", "FLUSH"],
    [
      "FUNCTION",
      "LOAD",
      `#!lua name=e
redis.register_function('boom', function(keys, args) error('exploded') end)
redis.register_function('rcall', function(keys, args) return redis.call('nosuch') end)
redis.register_function{function_name='rw', callback=function(keys) return redis.call('SET', keys[1], 'v') end, flags={'no-writes'}}
redis.register_function('args', function(keys, args) return {keys, args} end)
redis.register_function('reg', function() redis.register_function('x', function() end) end)`,
    ],
    ["FCALL", "boom", 0],
    ["FCALL", "rcall", 0],
    ["FCALL", "rw", 1, "k"],
    ["FCALL", "args", 2, "k1", "k2", "a1"],
    ["FCALL", "reg", 0],
    ["FCALL_RO", "boom", 0],
    ["FUNCTION", "FLUSH"],
  ],
  "FUNCTION DUMP and RESTORE": [
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "LOAD", LIB],
    ["FUNCTION", "LOAD", LIB2],
    {
      cmd: ["FUNCTION", "DUMP"],
      mask: dumpMask,
      why:
        "Redis compresses the code with LZF; the payloads are compared by restoring them",
    },
    ["FUNCTION", "RESTORE", "bad payload"],
    ["FUNCTION", "RESTORE", "x", "BADPOLICY"],
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "DUMP"],
    ["FUNCTION", "FLUSH"],
  ],
  "BUSY while a script loops, then SCRIPT KILL": busyCase(
    "local i = 0 while true do i = i + 1 end",
    ["SCRIPT", "KILL"],
    [{ readOnly: true, conn: 1 }, ["PING"]],
  ),
  "SHUTDOWN without NOSAVE is refused while a script loops": busyCase(
    "while true do end",
    ["SHUTDOWN"],
    [["SHUTDOWN", "SAVE"], ["SCRIPT", "KILL"], { readOnly: true, conn: 1 }],
  ),
  "FUNCTION KILL is refused while an EVAL script loops": busyCase(
    "while true do end",
    ["FUNCTION", "KILL"],
    [["SCRIPT", "KILL"], { readOnly: true, conn: 1 }],
  ),
  "SCRIPT KILL of a script inside pcall": busyCase(
    "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end",
    ["SCRIPT", "KILL"],
    [{ readOnly: true, conn: 1 }],
  ),
  "SCRIPT KILL is refused once the script wrote": [
    ["CONFIG", "SET", "busy-reply-threshold", "100"],
    {
      cmd: [
        "EVAL",
        "redis.call('set', 'w', '1') local t = redis.call('time')[1] + 1 while tonumber(redis.call('time')[1]) < t + 1 do end return 'done'",
        0,
      ],
      conn: 1,
      noReply: true,
      after: { cmd: ["PING"], until: (raw) => raw.startsWith("-BUSY") },
    },
    { cmd: ["GET", "w"] },
    ["SCRIPT", "KILL"],
    { readOnly: true, conn: 1 },
    ["GET", "w"],
    ["CONFIG", "SET", "busy-reply-threshold", "5000"],
  ],
  "FUNCTION KILL stops a busy function": [
    ["FUNCTION", "FLUSH"],
    [
      "FUNCTION",
      "LOAD",
      "#!lua name=loop\nredis.register_function('loop', function() while true do end end)",
    ],
    ["CONFIG", "SET", "busy-reply-threshold", "100"],
    {
      cmd: ["FCALL", "loop", 0],
      conn: 1,
      noReply: true,
      after: { cmd: ["PING"], until: (raw) => raw.startsWith("-BUSY") },
    },
    { cmd: ["PING"] },
    {
      cmd: ["FUNCTION", "STATS"],
      mask: (raw) => raw.replace(/duration_ms\r\n:\d+/, "duration_ms\r\n:<ms>"),
      why: "the running time differs",
    },
    ["SCRIPT", "KILL"],
    ["FUNCTION", "KILL"],
    { readOnly: true, conn: 1 },
    ["FUNCTION", "FLUSH"],
    ["CONFIG", "SET", "busy-reply-threshold", "5000"],
  ],
  "INFO errorstats count a script's failed command once": [
    ["CONFIG", "RESETSTAT"],
    ["SET", "str", "x"],
    ev("return redis.call('nosuch')"),
    ev("return redis.pcall('incr', 'str')"),
    ev("return redis.call('incr', 'str')"),
    ev("error('x')"),
    ev("return {err='MY thing'}"),
    ev("local e = redis.pcall('incr', 'str') return 1"),
    ["INFO", "errorstats"],
    {
      cmd: ["INFO", "stats"],
      mask: (raw) => (raw.match(/total_error_replies:\d+/) ?? [""])[0],
      why: "only the error count is compared",
    },
    {
      cmd: ["INFO", "commandstats"],
      mask: (raw) =>
        [
          ...raw.matchAll(
            /cmdstat_(eval|incr):calls=(\d+),usec=\d+,usec_per_call=[\d.]+,rejected_calls=(\d+),failed_calls=(\d+)/g,
          ),
        ].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`).sort().join(","),
      why: "times differ; calls and failed calls are compared",
    },
  ],
  "MONITOR shows EVAL and FCALL before the commands of their script": [
    ["FUNCTION", "FLUSH"],
    ["FUNCTION", "LOAD", LIB2],
    { cmd: ["MONITOR"], conn: 1 },
    ev("redis.call('SET', 'a', 'b') return redis.call('GET', 'a')"),
    monitorRead(),
    monitorRead(),
    monitorRead(),
    ["FCALL", "f2", 1, "k", "v"],
    monitorRead(),
    ["FCALL", "nosuch", 0],
    monitorRead(),
    ["FUNCTION", "FLUSH"],
  ],
  "scripts when used memory is over maxmemory": [
    ["SET", "k", "v"],
    ["CONFIG", "SET", "maxmemory", "1"],
    ev("return redis.call('SET', 'k2', 'v')"),
    ev("return redis.pcall('SET', 'k2', 'v')"),
    ev("return redis.call('GET', 'k')"),
    ["EVAL", "#!lua\nreturn redis.call('GET', 'k')", 0],
    ["EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", 0],
    ["EVAL", "#!lua flags=allow-oom\nreturn redis.call('SET', 'k3', 'v')", 0],
    ["CONFIG", "SET", "maxmemory", "0"],
    ["MGET", "k2", "k3"],
  ],
  "ACL rules apply to the commands a script runs, as its caller": [
    ["ACL", "SETUSER", "bob", "on", "nopass", "~k*", "+get", "+set", "+eval"],
    ["AUTH", "bob", "x"],
    ev("return redis.call('SET', 'k1', 'v')"),
    ev("return redis.call('DEL', 'k1')"),
    ev("return redis.call('GET', 'other')"),
    ev("return redis.pcall('DEL', 'k1')"),
    ev(
      "return {redis.acl_check_cmd('get', 'k1'), redis.acl_check_cmd('del', 'k1'), redis.acl_check_cmd('get', 'zz')}",
    ),
    { cmd: ["ACL", "DELUSER", "bob"], conn: 1 },
  ],
  "a script under maxmemory logs no ACL denial for a command it did not run": [
    ["CONFIG", "SET", "maxmemory", "1gb"],
    ["ACL", "LOG", "RESET"],
    ["ACL", "SETUSER", "carol", "on", "nopass", "~*", "+get", "+eval"],
    ["AUTH", "carol", "x"],
    // Shebang scripts are checked against maxmemory before they start.
    ev("#!lua\nreturn redis.call('GET', 'k1')"),
    ev("#!lua\nreturn redis.call('GET', 'k1')"),
    { cmd: ["ACL", "LOG"], conn: 1 },
    { cmd: ["ACL", "DELUSER", "carol"], conn: 1 },
    { cmd: ["CONFIG", "SET", "maxmemory", "0"], conn: 1 },
  ],
  "INFO counts cached scripts": [
    ["SCRIPT", "FLUSH"],
    ev("return 1"),
    ev("return 2"),
    {
      cmd: ["INFO", "memory"],
      mask: (raw) => (raw.match(/number_of_cached_scripts:\d+/) ?? [""])[0],
      why: "only the script count is comparable; memory figures differ",
    },
  ],
};

// Restoring Redis's own payload in both servers (recorded from redis-server).
const REDIS_DUMP_OF_LIB2 =
  "\xf5\xc3\x40\x57\x40\x5c\x1f\x23\x21\x6c\x75\x61\x20\x6e\x61\x6d\x65\x3d\x6c\x69\x62\x32\x0a\x72\x65\x64\x69\x73\x2e\x72\x65\x67\x69\x73\x74\x65\x72\x5f\x66\x0d\x75\x6e\x63\x74\x69\x6f\x6e\x28\x27\x66\x32\x27\x2c\x20\xe0\x00\x0e\x13\x6b\x65\x79\x73\x2c\x20\x61\x72\x67\x73\x29\x20\x72\x65\x74\x75\x72\x6e\x20\x23\x40\x13\x03\x20\x2b\x20\x23\x40\x15\x04\x20\x65\x6e\x64\x29\x0a\x00\x00\x99\x9d\xa4\x34\x61\x31\xa5";

cases["FUNCTION RESTORE of a payload made by redis-server"] = [
  ["FUNCTION", "FLUSH"],
  ["FUNCTION", "RESTORE", REDIS_DUMP_OF_LIB2],
  ["FCALL", "f2", 1, "a", "b"],
  ["FUNCTION", "RESTORE", REDIS_DUMP_OF_LIB2],
  ["FUNCTION", "RESTORE", REDIS_DUMP_OF_LIB2, "REPLACE"],
  ["FUNCTION", "RESTORE", REDIS_DUMP_OF_LIB2, "FLUSH"],
  ["FUNCTION", "LIST"],
  ["FUNCTION", "FLUSH"],
];

differential(import.meta.url, cases);

Deno.test({
  name: "FUNCTION DUMP of tsredis restores in redis-server and runs there",
  ignore: REDIS_SERVER === undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using ours = await spawnServer({ target: "tsredis" });
    await using theirs = await spawnServer({ target: "redis-server" });
    const a = await ours.connect();
    const b = await theirs.connect();
    try {
      await a.call("FUNCTION", "LOAD", LIB2);
      await a.call("FUNCTION", "LOAD", LIB);
      const payload = await a.call("FUNCTION", "DUMP");
      assertEquals(typeof payload, "string");
      await b.call("FUNCTION", "FLUSH");
      assertEquals(
        await b.call("FUNCTION", "RESTORE", payload as string),
        "OK",
      );
      assertEquals(await b.call("FCALL", "f2", 1, "k", "a"), 2);
      assertEquals(await b.call("FCALL", "myset", 1, "k", "v"), "OK");
      assertEquals(await b.call("FCALL", "myget", 1, "k"), "v");
      // And back: Redis's dump of the same libraries restores here.
      const back = await b.call("FUNCTION", "DUMP");
      await a.call("FUNCTION", "FLUSH");
      assertEquals(await a.call("FUNCTION", "RESTORE", back as string), "OK");
      assertEquals(await a.call("FCALL", "f2", 2, "k", "l", "a"), 3);
    } finally {
      a.close();
      b.close();
    }
  },
});
