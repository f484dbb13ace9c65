/**
 * What scripts see: the sandboxed globals, the `redis` table
 * (`call`, `pcall`, `log`, `setresp`, ...), Redis's `pcall` and
 * `math.random`, and the conversions between Redis replies and Lua values
 * in both directions, in RESP2 and RESP3, as Redis 7.0 does them.
 *
 * @module
 */
import type { Reply, ReplyNode } from "../protocol/types.ts";
import {
  bignum,
  bool,
  double,
  map,
  set,
  simple,
  verbatim,
} from "../protocol/reply.ts";
import { formatG17 } from "../util/number.ts";
import { sha1Hex } from "../util/sha1.ts";
import {
  LUA_MASKCOUNT,
  LUA_TBOOLEAN,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
  type LuaVM,
} from "./engine.ts";
import { checkNumber, installLuaLibraries, LuaError } from "./lua_libs.ts";

/** What the host does for the API functions of a state. */
export interface ScriptHost {
  /** Runs a command for `redis.call`/`redis.pcall`; returns its reply, or an error reply line. */
  call(L: LuaState, args: string[]): Reply | { error: string };
  /** The RESP version replies are converted with (`redis.setresp`). */
  resp: 2 | 3;
  /** `redis.log`. */
  log(level: number, message: string): void;
  /** `redis.set_repl`. */
  setRepl(flags: number): void;
  /** `redis.acl_check_cmd`: undefined when the command does not exist. */
  aclCheck(args: string[]): boolean | undefined;
  /** The count hook (busy scripts, SCRIPT KILL). */
  hook(L: LuaState): void;
  /** Marks a coroutine `pcall` created (`co`, from thread `L`) as one the hook may yield. */
  mark(L: LuaState, co: LuaState): void;
}

/** Instructions between two calls of the count hook. */
export const HOOK_COUNT = 100000;

/** Redis's `redisLrand48`: the 48-bit generator behind `math.random`, shared by every script. */
export class Rand48 {
  // 48-bit state as three 16-bit words, as Redis's rand.c keeps it.
  #x0 = 0x330e;
  #x1 = 0xabcd;
  #x2 = 0x1234;

  /** `redisSrand48(seed)`. */
  seed(v: number): void {
    this.#x0 = 0x330e;
    this.#x1 = v & 0xffff;
    this.#x2 = (v >>> 16) & 0xffff;
  }

  /** The next 31-bit value. */
  next(): number {
    // x = a * x + c (mod 2^48), a = 0x5DEECE66D, c = 0xB, in 16-bit words.
    const a0 = 0xe66d, a1 = 0xdeec, a2 = 0x5;
    const x0 = this.#x0, x1 = this.#x1, x2 = this.#x2;
    let p = a0 * x0 + 0xb;
    const n0 = p & 0xffff;
    p = Math.floor(p / 65536) + a0 * x1 + a1 * x0;
    const n1 = p & 0xffff;
    p = Math.floor(p / 65536) + a0 * x2 + a1 * x1 + a2 * x0;
    const n2 = p & 0xffff;
    this.#x0 = n0;
    this.#x1 = n1;
    this.#x2 = n2;
    return n2 * 32768 + (n1 >>> 1);
  }
}

/** The sandbox, run once per state with the real globals and the host functions it needs. */
const PRELUDE = `
local G, mark, load_mode = ...
local allowed = {
  ARGV=1, KEYS=1, _G=1, _VERSION=1, assert=1, bit=1, cjson=1, cmsgpack=1,
  collectgarbage=1, coroutine=1, error=1, gcinfo=1, getmetatable=1,
  ipairs=1, load=1, loadstring=1, math=1, next=1, pairs=1, pcall=1,
  rawequal=1, rawget=1, rawset=1, redis=1, select=1, setmetatable=1,
  string=1, struct=1, table=1, tonumber=1, tostring=1, type=1, unpack=1,
  xpcall=1,
}
local names = {}
for k in pairs(G) do names[#names + 1] = k end
for _, k in ipairs(names) do if not allowed[k] then G[k] = nil end end

local rawnext, rawpairs, rawipairs = next, pairs, ipairs
local rawsetmt, rawgetmt, rawset0, rawget0 = setmetatable, getmetatable, rawset, rawget
local type, error, select, tostring = type, error, select, tostring
local co_create, co_resume, co_status, co_yield =
  coroutine.create, coroutine.resume, coroutine.status, coroutine.yield
local nativepcall = pcall
local real = rawsetmt({}, {__mode = 'k'})

local function readonly() error('Attempt to modify a readonly table', 2) end
local function protect(t, index)
  local p = {}
  local shown = {}
  local mt = {__index = index or t, __newindex = readonly, __metatable = shown}
  rawsetmt(shown, {__newindex = readonly, __index = index or t, __metatable = false})
  rawsetmt(p, mt)
  real[p] = t
  real[shown] = shown
  return p, mt
end

G.setmetatable = function(t, mt)
  if real[t] then error('Attempt to modify a readonly table', 0) end
  return rawsetmt(t, mt)
end
G.rawset = function(t, k, v)
  if real[t] then error('Attempt to modify a readonly table', 0) end
  return rawset0(t, k, v)
end
G.rawget = function(t, k) return rawget0(real[t] or t, k) end
G.next = function(t, k) return rawnext(real[t] or t, k) end
G.pairs = function(t) return rawpairs(real[t] or t) end
G.ipairs = function(t) return rawipairs(real[t] or t) end

-- Redis's pcall: an error table with an 'err' string is returned as that
-- string. Run in a coroutine so that a busy script inside pcall can still
-- give control back (the count hook yields it, and the yield is passed on).
local function finish(co, ok, ...)
  if co_status(co) == 'suspended' then
    co_yield()
    return finish(co, co_resume(co))
  end
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local s = e.err
    if type(s) == 'string' or type(s) == 'number' then return false, s end
  end
  return false, e
end
G.pcall = function(f, ...)
  if type(f) ~= 'function' then return nativepcall(f, ...) end
  local co = co_create(function(...) return f(...) end)
  mark(co)
  return finish(co, co_resume(co, ...))
end

for _, lib in ipairs({'string', 'table', 'math', 'bit', 'cjson', 'cmsgpack', 'struct', 'coroutine', 'redis'}) do
  if G[lib] then G[lib] = protect(G[lib]) end
end

-- Reading a global that does not exist is an error.
rawsetmt(G, {__index = function(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end})
-- Redis keeps its error handler as a global; scripts can see it.
G.__redis__err__handler = function(err) return err end
local proxy, proxymt = protect(G)
G._G = proxy
return proxy, function(t) return real[t] end, protect, proxymt
`;

/** A Lua state with Redis's libraries and sandbox, and the registry refs the runtime needs. */
export interface ScriptState {
  readonly L: LuaState;
  /** Registry ref of the real globals table (KEYS, ARGV are set there). */
  readonly globalsRef: number;
  /** Registry ref of `protect` (makes a readonly proxy of a table). */
  readonly protectRef: number;
  /** Registry ref of the globals proxy's metatable (its `__index` is where globals are read). */
  readonly globalsMetaRef: number;
}

/**
 * Creates a state as Redis's scripting engine sets it up: the libraries,
 * the `redis` API wired to `host`, Redis's `pcall` and `math.random`, and
 * the readonly globals.
 */
export function createScriptState(
  vm: LuaVM,
  host: ScriptHost,
  rand: Rand48,
  opts: { functions?: boolean } = {},
): ScriptState {
  const L = vm.newState();
  vm.openLibs(L);
  installLuaLibraries(vm, L);
  installRedisApi(vm, L, host);
  installRandom(vm, L, rand);
  vm.setHook(L, (L2) => host.hook(L2), LUA_MASKCOUNT, HOOK_COUNT);
  // The sandbox prelude.
  if (vm.load(L, PRELUDE, "=prelude") !== 0) {
    throw new Error(`Lua prelude: ${vm.toString(L, -1)}`);
  }
  vm.pushValue(L, -10002); // LUA_GLOBALSINDEX
  vm.pushFunction(
    L,
    vm.registerFunction((L2) => {
      const co = vm.toThread(L2, 1);
      if (co !== 0) host.mark(L2, co);
      return 0;
    }),
  );
  vm.pushBoolean(L, opts.functions === true);
  if (vm.pcall(L, 3, 4) !== 0) {
    throw new Error(`Lua prelude: ${vm.toString(L, -1)}`);
  }
  const globalsMetaRef = vm.ref(L);
  const protectRef = vm.ref(L);
  vm.pop(L, 1); // real-of lookup (unused here)
  // The proxy becomes the globals of every function compiled from now on.
  vm.pushValue(L, -10002);
  const globalsRef = vm.ref(L);
  vm.replace(L, -10002);
  return { L, globalsRef, protectRef, globalsMetaRef };
}

function installRandom(vm: LuaVM, L: LuaState, rand: Rand48): void {
  const MAX = 2147483647;
  vm.getGlobal(L, "math");
  vm.pushFunction(
    L,
    vm.registerFunction((L) => {
      const r = (rand.next() % MAX) / MAX;
      const n = vm.getTop(L);
      if (n === 0) {
        vm.pushNumber(L, r);
      } else if (n === 1) {
        const u = Math.trunc(checkNumber(vm, L, 1, "random"));
        if (!(1 <= u)) {
          throw new LuaError("bad argument #1 to 'random' (interval is empty)");
        }
        vm.pushNumber(L, Math.floor(r * u) + 1);
      } else if (n === 2) {
        const l = Math.trunc(checkNumber(vm, L, 1, "random"));
        const u = Math.trunc(checkNumber(vm, L, 2, "random"));
        if (!(l <= u)) {
          throw new LuaError("bad argument #2 to 'random' (interval is empty)");
        }
        vm.pushNumber(L, Math.floor(r * (u - l + 1)) + l);
      } else {
        throw new LuaError("wrong number of arguments");
      }
      return 1;
    }),
  );
  vm.setField(L, -2, "random");
  vm.pushFunction(
    L,
    vm.registerFunction((L) => {
      rand.seed(Math.trunc(checkNumber(vm, L, 1, "randomseed")) | 0);
      return 0;
    }),
  );
  vm.setField(L, -2, "randomseed");
  vm.pop(L, 1);
}

/**
 * Error replies of scripts that INFO errorstats must not count again: the
 * command inside the script that failed was counted already (Redis's
 * `ignore_error_stats_update`).
 */
export const UNCOUNTED_ERRORS: WeakSet<object> = new WeakSet();

/** An error the redis API raises as an error table (no position), as Redis's luaError does. */
export class ApiError extends Error {}

/** Pushes an error table `{err = "CODE message"}` as Redis's luaPushError does. */
export function pushErrorTable(
  vm: LuaVM,
  L: LuaState,
  text: string,
  ignoreStats = false,
): void {
  vm.newTable(L);
  vm.pushString(L, "err");
  vm.pushString(L, normalizeError(text));
  vm.rawSet(L, -3);
  if (ignoreStats) {
    vm.pushString(L, "ignore_error_stats_update");
    vm.pushBoolean(L, true);
    vm.rawSet(L, -3);
  }
}

/**
 * An error text in Redis's "CODE message" form: "-CODE msg" keeps CODE, a
 * text without a leading dash gets ERR (luaPushErrorBuff).
 */
export function normalizeError(text: string): string {
  if (text.startsWith("-")) {
    const sp = text.indexOf(" ");
    if (sp < 0) return "ERR " + text.slice(1);
    return text.slice(1);
  }
  return "ERR " + text;
}

function installRedisApi(vm: LuaVM, L: LuaState, host: ScriptHost): void {
  const argsOf = (L: LuaState): string[] | string => {
    const n = vm.getTop(L);
    if (n === 0) {
      return "Please specify at least one argument for this redis lib call";
    }
    const args: string[] = new Array(n);
    for (let i = 1; i <= n; i++) {
      const t = vm.type(L, i);
      if (t === LUA_TSTRING) args[i - 1] = vm.toString(L, i)!;
      else if (t === LUA_TNUMBER) args[i - 1] = formatG17(vm.toNumber(L, i));
      else return "Lua redis lib command arguments must be strings or integers";
    }
    return args;
  };
  const generic = (raise: boolean) => (L: LuaState): number => {
    const args = argsOf(L);
    if (typeof args === "string") {
      pushErrorTable(vm, L, args);
      if (raise) return vm.error(L);
      return 1;
    }
    const r = host.call(L, args);
    vm.setTop(L, 0);
    if (r !== null && typeof r === "object" && "error" in r) {
      pushErrorTable(vm, L, "-" + r.error, true);
      if (raise) return vm.error(L);
      return 1;
    }
    if (isErrorNode(r)) {
      pushErrorTable(vm, L, "-" + r.line, true);
      if (raise) return vm.error(L);
      return 1;
    }
    pushReply(vm, L, r as Reply, host.resp);
    return 1;
  };
  vm.newTable(L);
  const fns: Record<string, (L: LuaState) => number> = {
    call: generic(true),
    pcall: generic(false),
    log: (L) => {
      const n = vm.getTop(L);
      if (n < 2) {
        throw new ApiError("redis.log() requires two arguments or more.");
      }
      if (!vm.isNumber(L, 1)) {
        throw new ApiError("First argument must be a number (log level).");
      }
      const level = vm.toNumber(L, 1);
      if (level < 0 || level > 3) throw new ApiError("Invalid debug level.");
      const parts: string[] = [];
      for (let i = 2; i <= n; i++) {
        const s = vm.toString(L, i);
        if (s !== undefined) parts.push(s);
      }
      host.log(level, parts.join(" "));
      return 0;
    },
    setresp: (L) => {
      if (vm.getTop(L) !== 1) {
        throw new ApiError("redis.setresp() requires one argument.");
      }
      const v = vm.toNumber(L, 1);
      if (v !== 2 && v !== 3) {
        throw new ApiError("RESP version must be 2 or 3.");
      }
      host.resp = v;
      return 0;
    },
    error_reply: (L) => {
      if (vm.getTop(L) !== 1 || vm.type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(vm, L, "wrong number or type of arguments");
        return 1;
      }
      const s = vm.toString(L, 1)!;
      pushErrorTable(vm, L, s.startsWith("-") ? s : "-" + s);
      return 1;
    },
    status_reply: (L) => {
      if (vm.getTop(L) !== 1 || vm.type(L, -1) !== LUA_TSTRING) {
        pushErrorTable(vm, L, "wrong number or type of arguments");
        return 1;
      }
      const s = vm.toString(L, 1)!;
      vm.newTable(L);
      vm.pushString(L, s);
      vm.setField(L, -2, "ok");
      return 1;
    },
    sha1hex: (L) => {
      if (vm.getTop(L) !== 1) {
        pushErrorTable(vm, L, "wrong number of arguments");
        return vm.error(L);
      }
      vm.pushString(L, sha1Hex(vm.toString(L, 1) ?? ""));
      return 1;
    },
    set_repl: (L) => {
      if (vm.getTop(L) !== 1) {
        throw new ApiError("redis.set_repl() requires one argument.");
      }
      const flags = vm.toNumber(L, 1);
      if ((flags & ~3) !== 0) {
        throw new ApiError(
          "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
        );
      }
      host.setRepl(flags);
      return 0;
    },
    replicate_commands: (L) => {
      vm.pushBoolean(L, true);
      return 1;
    },
    breakpoint: (L) => {
      vm.pushBoolean(L, false);
      return 1;
    },
    debug: () => 0,
    acl_check_cmd: (L) => {
      const args = argsOf(L);
      if (typeof args === "string") {
        throw new LuaError(
          args ===
              "Please specify at least one argument for this redis lib call"
            ? "Please specify at least one argument for this redis lib call"
            : args,
        );
      }
      const ok = host.aclCheck(args);
      if (ok === undefined) {
        throw new ApiError("Invalid command passed to redis.acl_check_cmd()");
      }
      vm.pushBoolean(L, ok);
      return 1;
    },
  };
  for (const [k, fn] of Object.entries(fns)) {
    const raising = (L: LuaState): number => {
      try {
        return fn(L);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        pushErrorTable(vm, L, e.message);
      }
      return vm.error(L);
    };
    vm.pushFunction(L, vm.registerFunction(raising));
    vm.setField(L, -2, k);
  }
  const constants: [string, number | string][] = [
    ["LOG_DEBUG", 0],
    ["LOG_VERBOSE", 1],
    ["LOG_NOTICE", 2],
    ["LOG_WARNING", 3],
    ["REPL_NONE", 0],
    ["REPL_AOF", 1],
    ["REPL_SLAVE", 2],
    ["REPL_REPLICA", 2],
    ["REPL_ALL", 3],
    ["REDIS_VERSION", "7.0.15"],
    ["REDIS_VERSION_NUM", 0x07000f],
  ];
  for (const [k, v] of constants) {
    if (typeof v === "number") vm.pushNumber(L, v);
    else vm.pushString(L, v);
    vm.setField(L, -2, k);
  }
  vm.setGlobal(L, "redis");
}

function isErrorNode(r: unknown): r is { kind: "error"; line: string } {
  return r !== null && typeof r === "object" && !Array.isArray(r) &&
    !(r instanceof Uint8Array) && (r as ReplyNode).kind === "error";
}

// --- Redis -> Lua -----------------------------------------------------------

/** Pushes a command's reply as the Lua value Redis gives scripts (RESP2 or RESP3 rules). */
export function pushReply(vm: LuaVM, L: LuaState, r: Reply, resp: 2 | 3): void {
  if (typeof r === "string") return vm.pushString(L, r);
  if (typeof r === "number") return vm.pushNumber(L, r);
  if (typeof r === "bigint") return vm.pushNumber(L, Number(r));
  if (r === null) return resp === 2 ? vm.pushBoolean(L, false) : vm.pushNil(L);
  if (r instanceof Uint8Array) return vm.pushBytes(L, r);
  if (Array.isArray(r)) return pushArray(vm, L, r as readonly Reply[], resp);
  const node = r as ReplyNode;
  vm.checkStack(L, 4);
  switch (node.kind) {
    case "simple":
      vm.newTable(L);
      vm.pushString(L, node.text);
      vm.setField(L, -2, "ok");
      return;
    case "error":
      pushErrorTable(vm, L, "-" + node.line);
      return;
    case "double":
      if (resp === 2) {
        return vm.pushString(L, node.text ?? formatG17(node.value));
      }
      vm.newTable(L);
      vm.pushNumber(L, node.value);
      vm.setField(L, -2, "double");
      return;
    case "map": {
      const e = node.entries;
      if (resp === 2) return pushArray(vm, L, e, resp);
      vm.newTable(L);
      vm.newTable(L);
      for (let i = 0; i + 1 < e.length; i += 2) {
        pushReply(vm, L, e[i]!, resp);
        pushReply(vm, L, e[i + 1]!, resp);
        vm.setTable(L, -3);
      }
      vm.setField(L, -2, "map");
      return;
    }
    case "set": {
      if (resp === 2) return pushArray(vm, L, node.items, resp);
      vm.newTable(L);
      vm.newTable(L);
      for (const item of node.items) {
        pushReply(vm, L, item, resp);
        vm.pushBoolean(L, true);
        vm.setTable(L, -3);
      }
      vm.setField(L, -2, "set");
      return;
    }
    case "bool":
      if (resp === 2) return vm.pushNumber(L, node.value ? 1 : 0);
      return vm.pushBoolean(L, node.value);
    case "bignum":
      if (resp === 2) return vm.pushString(L, node.text);
      vm.newTable(L);
      vm.pushString(L, node.text);
      vm.setField(L, -2, "big_number");
      return;
    case "verbatim":
      if (resp === 2) return vm.pushString(L, node.text);
      vm.newTable(L);
      vm.newTable(L);
      vm.pushString(L, node.format);
      vm.setField(L, -2, "format");
      vm.pushString(L, node.text);
      vm.setField(L, -2, "string");
      vm.setField(L, -2, "verbatim_string");
      return;
    case "push":
      return pushArray(vm, L, node.items, resp);
    case "nullArray":
      return resp === 2 ? vm.pushBoolean(L, false) : vm.pushNil(L);
    case "attribute":
      return pushReply(vm, L, node.value, resp);
    case "pairs": {
      const items = node.items;
      if (resp === 2) return pushArray(vm, L, items, resp);
      vm.newTable(L, items.length / 2, 0);
      for (let i = 0; i + 1 < items.length; i += 2) {
        pushArray(vm, L, [items[i]!, items[i + 1]!], resp);
        vm.rawSetI(L, -2, i / 2 + 1);
      }
      return;
    }
    case "sequence":
      return pushReply(vm, L, node.items[node.items.length - 1] ?? null, resp);
    default:
      return vm.pushBoolean(L, false);
  }
}

function pushArray(
  vm: LuaVM,
  L: LuaState,
  items: readonly Reply[],
  resp: 2 | 3,
): void {
  vm.checkStack(L, 4);
  vm.newTable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushReply(vm, L, items[i]!, resp);
    vm.rawSetI(L, -2, i + 1);
  }
}

// --- Lua -> Redis -----------------------------------------------------------

// Redis replaces CR and LF in status and error texts with spaces.
function oneLine(s: string): string {
  return /[\r\n]/.test(s) ? s.replace(/[\r\n]/g, " ") : s;
}

/** The reply for the Lua value at `idx` (luaReplyToRedisReply); `resp` is the script's `setresp`. */
export function toReply(
  vm: LuaVM,
  L: LuaState,
  idx: number,
  resp: 2 | 3,
  depth = 0,
): Reply {
  const t = vm.type(L, idx);
  switch (t) {
    case LUA_TSTRING:
      return vm.toString(L, idx)!;
    case LUA_TBOOLEAN:
      if (resp === 2) return vm.toBoolean(L, idx) ? 1 : null;
      return bool(vm.toBoolean(L, idx));
    case LUA_TNUMBER: {
      // C's (long long) cast: out of range and NaN give INT64_MIN on x86.
      const n = Math.trunc(vm.toNumber(L, idx));
      if (Number.isSafeInteger(n)) return n;
      if (!(n >= -(2 ** 63) && n < 2 ** 63)) return -(2n ** 63n);
      return BigInt(n);
    }
    case LUA_TTABLE:
      return tableReply(
        vm,
        L,
        idx < 0 ? vm.getTop(L) + idx + 1 : idx,
        resp,
        depth,
      );
    default:
      return null;
  }
}

function tableReply(
  vm: LuaVM,
  L: LuaState,
  idx: number,
  resp: 2 | 3,
  depth: number,
): Reply {
  if (!vm.checkStack(L, 4) || depth > 900) {
    return { kind: "error", line: "ERR reached lua stack limit" };
  }
  vm.pushString(L, "err");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TSTRING) {
    const s = vm.toString(L, -1)!;
    vm.pop(L, 1);
    const error = {
      kind: "error" as const,
      line: oneLine(s.startsWith("-") ? s.slice(1) : s),
    };
    // An error redis.pcall returned was counted when the command failed.
    vm.pushString(L, "ignore_error_stats_update");
    vm.rawGet(L, idx);
    if (vm.toBoolean(L, -1)) UNCOUNTED_ERRORS.add(error);
    vm.pop(L, 1);
    return error;
  }
  vm.pop(L, 1);
  vm.pushString(L, "ok");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TSTRING) {
    const s = vm.toString(L, -1)!;
    vm.pop(L, 1);
    return simple(oneLine(s));
  }
  vm.pop(L, 1);
  vm.pushString(L, "double");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TNUMBER) {
    const n = vm.toNumber(L, -1);
    vm.pop(L, 1);
    return double(n);
  }
  vm.pop(L, 1);
  vm.pushString(L, "big_number");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TSTRING) {
    const s = vm.toString(L, -1)!;
    vm.pop(L, 1);
    return bignum(s.replace(/[\r\n]/g, " "));
  }
  vm.pop(L, 1);
  vm.pushString(L, "map");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TTABLE) {
    const m = vm.getTop(L);
    const entries: Reply[] = [];
    vm.pushNil(L);
    while (vm.next(L, m)) {
      vm.pushValue(L, -2);
      entries.push(toReply(vm, L, -1, resp, depth + 1));
      vm.pop(L, 1);
      entries.push(toReply(vm, L, -1, resp, depth + 1));
      vm.pop(L, 1);
    }
    vm.pop(L, 1);
    return map(entries);
  }
  vm.pop(L, 1);
  vm.pushString(L, "set");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TTABLE) {
    const m = vm.getTop(L);
    const items: Reply[] = [];
    vm.pushNil(L);
    while (vm.next(L, m)) {
      vm.pop(L, 1);
      vm.pushValue(L, -1);
      items.push(toReply(vm, L, -1, resp, depth + 1));
      vm.pop(L, 1);
    }
    vm.pop(L, 1);
    return set(items);
  }
  vm.pop(L, 1);
  vm.pushString(L, "verbatim_string");
  vm.rawGet(L, idx);
  if (vm.type(L, -1) === LUA_TTABLE) {
    vm.getField(L, -1, "format");
    vm.getField(L, -2, "string");
    if (vm.type(L, -1) === LUA_TSTRING && vm.type(L, -2) === LUA_TSTRING) {
      const format = vm.toString(L, -2)!;
      const text = vm.toString(L, -1)!;
      vm.pop(L, 3);
      return verbatim(text, format.slice(0, 3));
    }
    vm.pop(L, 2);
  }
  vm.pop(L, 1);
  const out: Reply[] = [];
  for (let j = 1;; j++) {
    vm.rawGetI(L, idx, j);
    if (vm.type(L, -1) === LUA_TNIL) {
      vm.pop(L, 1);
      break;
    }
    out.push(toReply(vm, L, -1, resp, depth + 1));
    vm.pop(L, 1);
  }
  return out;
}
