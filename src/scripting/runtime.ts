/**
 * The scripting runtime: the script cache, the FUNCTION libraries, and
 * running a script or function to completion as Redis 7.0 does.
 *
 * A script runs inside a Lua coroutine. Its commands go through the same
 * `call()` as clients' commands, on a script client that has the caller's
 * database and user. Their effects reach AOF and replicas as one batch
 * (wrapped in MULTI/EXEC when there are several).
 *
 * Busy scripts: a count hook runs every `HOOK_COUNT` instructions. Past
 * `busy-reply-threshold` the script is marked busy, and where the caller may
 * be parked (not inside MULTI, not a server-internal client) the hook
 * yields the coroutine: the EVAL handler parks the caller like a blocked
 * client and the script resumes from a timer, so the event loop serves
 * other connections in between. They get BUSY (a pipeline gate) except
 * for the commands Redis allows (SCRIPT KILL, FUNCTION KILL, SHUTDOWN
 * NOSAVE, ...). SCRIPT KILL marks the run killed; the script is not
 * resumed again and its caller gets Redis's "Script killed" error.
 *
 * @module
 */
import {
  busyScript,
  CommandError,
  notBusy,
  unkillableScript,
} from "../errors.ts";
import { PROPAGATE_ALL, type ServerState } from "../state.ts";
import type { Reply, ReplyNode } from "../protocol/types.ts";
import { Client } from "../client.ts";
import {
  call,
  contextOf,
  pipelineHooks,
  resolveCommand,
} from "../commands/dispatch.ts";
import { unblock } from "../commands/blocking.ts";
import type { Command, Context } from "../commands/types.ts";
import { log } from "../log.ts";
import { oomGate } from "../commands/memory/mod.ts";
import { aclAllows } from "../acl/acl.ts";
import { sha1Hex } from "../util/sha1.ts";
import { asciiLower } from "../util/bytes.ts";
import type {
  FunctionsService,
  ScriptingMemory,
  ScriptingService,
} from "../services/scripting.ts";
import {
  LUA_OK,
  LUA_TFUNCTION,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_YIELD,
  type LuaState,
  LuaVM,
} from "./engine.ts";
import {
  createScriptState,
  pushErrorTable,
  Rand48,
  type ScriptHost,
  type ScriptState,
  toReply,
  UNCOUNTED_ERRORS,
} from "./api.ts";
import {
  type CachedScript,
  type Library,
  type LibraryFunction,
  luaSource,
  parseLibraryMetadata,
  parseShebang,
  SCRIPT_FLAGS,
  type ScriptFlag,
  type ScriptFlags,
  validName,
} from "./functions.ts";
import { LuaError, typeName } from "./lua_libs.ts";

/** One running script or function. */
interface Run {
  readonly kind: "eval" | "function";
  /** The SHA1 of an EVAL script, or the function's name. */
  readonly name: string;
  readonly caller: Client;
  readonly callerCtx: Context;
  readonly state: ScriptState;
  readonly co: LuaState;
  readonly flags: ScriptFlags;
  readonly readOnly: boolean;
  readonly start: number;
  readonly mayYield: boolean;
  readonly batch: object | undefined;
  /** The command that started it (FUNCTION STATS). */
  readonly command: string[];
  resp: 2 | 3;
  timedOut: boolean;
  killed: boolean;
  wrote: boolean;
  suspended: boolean;
  lastYield: number;
  /** Coroutines the hook may yield: the script's own and those its pcalls made. */
  readonly yieldable: Set<LuaState>;
  /**
   * redis.set_repl: the targets of the script's next commands (REPL_AOF 1,
   * REPL_REPLICA 2, both 3, none 0), as PROPAGATE_* bits.
   */
  repl: number;
  /** Where the script was when it last yielded (SCRIPT KILL's error). */
  at: { what: string; source: string; line: number } | undefined;
}

/** Where the error raised by an aborted script comes from. */
interface ErrorInfo {
  message: string;
  source: string;
  line: string;
  /** The error came from a command that INFO errorstats counted already. */
  counted: boolean;
}

const KILLED = "ERR Script killed by user with SCRIPT KILL...";
// How long a busy script runs between two yields to the event loop (ms).
const SLICE_MS = 20;

/** The scripting runtime of one server. */
export class Scripting implements ScriptingService {
  readonly server: ServerState;
  readonly rand = new Rand48();
  /** The cached EVAL scripts by SHA1. */
  readonly scripts = new Map<string, CachedScript>();
  #scriptBytes = 0;
  /** Libraries by name, in load order. */
  readonly libraries = new Map<string, Library>();
  /** Functions of every library by name. */
  readonly functionIndex = new Map<string, LibraryFunction>();
  /** The run in progress. */
  running: Run | undefined;
  /** The client scripts' commands run as. */
  readonly scriptClient: Client;
  readonly functions: FunctionsService;
  #vm: LuaVM | undefined;
  #eval: ScriptState | undefined;
  #fn: ScriptState | undefined;
  #fnLoadRedis = 0;
  #fnLoadEnv = 0;
  #fnRunRedis = 0;
  // A finished coroutine of each state is reused for the next run.
  #spare = new Map<LuaState, { co: LuaState; ref: number }>();
  #loading: { lib: Library; L: LuaState } | undefined;

  // A replica with replica-read-only: scripts may not write (kept current from the config).
  #readOnlyReplica = false;

  /** Creates the runtime (the Lua engine itself starts on first use). */
  constructor(server: ServerState) {
    this.server = server;
    const replica = () => {
      const of = server.config.get("replicaof");
      this.#readOnlyReplica = of !== "" && of !== undefined &&
        server.config.bool("replica-read-only");
    };
    replica();
    server.config.onChange("replicaof", replica);
    server.config.onChange("replica-read-only", replica);
    this.scriptClient = new Client({
      id: 0,
      addr: "",
      laddr: "",
      now: server.clock.now(),
      authenticated: true,
      internal: true,
    });
    // deno-lint-ignore no-this-alias
    const self = this;
    this.functions = {
      libraries: () => [...this.libraries.values()].map((l) => l.code),
      load: (code, replace) => {
        self.loadLibrary(code, replace);
      },
      flush: () => this.flushFunctions(),
    };
  }

  /** True while a script runs past busy-reply-threshold. */
  get busy(): boolean {
    return this.running?.timedOut === true;
  }

  get vm(): LuaVM {
    return this.#vm ??= new LuaVM();
  }

  #host(): ScriptHost {
    // deno-lint-ignore no-this-alias
    const self = this;
    const host: ScriptHost = {
      call: (L, args) => self.#call(L, args),
      get resp() {
        return self.running?.resp ?? 2;
      },
      set resp(v: 2 | 3) {
        if (self.running !== undefined) self.running.resp = v;
      },
      log: (level, message) => {
        const fn = [log.debug, log.verbose, log.notice, log.warning][level]!;
        fn.call(log, message);
      },
      setRepl: (flags) => {
        if (self.running !== undefined) self.running.repl = flags;
      },
      aclCheck: (args) => {
        const cmd = resolveCommand(self.server, args);
        if (cmd instanceof CommandError) return undefined;
        return aclAllows(self.server, self.scriptClient, cmd, args);
      },
      hook: (L) => self.#hook(L),
      mark: (L, co) => {
        const run = self.running;
        if (run !== undefined && run.yieldable.has(L)) run.yieldable.add(co);
      },
    };
    return host;
  }

  get evalState(): ScriptState {
    return this.#eval ??= createScriptState(
      this.vm,
      this.#host(),
      this.rand,
    );
  }

  get functionState(): ScriptState {
    if (this.#fn === undefined) {
      const vm = this.vm;
      const st = createScriptState(vm, this.#host(), this.rand);
      const L = st.L;
      // Two `redis` tables: the full API when functions run, and the load
      // API (register_function, log, constants) while a library loads.
      vm.rawGetI(L, -10000, st.globalsRef);
      vm.getField(L, -1, "redis");
      vm.pushValue(L, -1);
      this.#fnRunRedis = vm.ref(L);
      vm.rawGetI(L, -10000, st.protectRef);
      vm.newTable(L);
      for (
        const k of [
          "log",
          "LOG_DEBUG",
          "LOG_VERBOSE",
          "LOG_NOTICE",
          "LOG_WARNING",
          "REDIS_VERSION",
          "REDIS_VERSION_NUM",
        ]
      ) {
        vm.getField(L, -3, k);
        vm.setField(L, -2, k);
      }
      // Its errors are error tables, without a position (Redis's luaError).
      vm.pushFunction(
        L,
        vm.registerFunction((L2) => {
          try {
            return this.#registerFunction(L2);
          } catch (e) {
            if (!(e instanceof LuaError)) throw e;
            pushErrorTable(vm, L2, e.message);
          }
          return vm.error(L2);
        }),
      );
      vm.setField(L, -2, "register_function");
      // Reading anything else from it is the nonexistent-global error.
      vm.getMetatable(L, -4);
      vm.setMetatable(L, -2);
      vm.call(L, 1, 1);
      this.#fnLoadRedis = vm.ref(L);
      vm.pop(L, 1); // run redis
      // The load environment: only `redis` (the load API), and reading
      // anything else is the nonexistent-global error.
      vm.newTable(L);
      vm.rawGetI(L, -10000, this.#fnLoadRedis);
      vm.setField(L, -2, "redis");
      vm.getMetatable(L, -2);
      vm.setMetatable(L, -2);
      this.#fnLoadEnv = vm.ref(L);
      vm.pop(L, 1); // real globals
      // register_function is only visible while loading.
      this.#fn = st;
    }
    return this.#fn;
  }

  // Globals are read from the load environment while a library loads.
  #setFunctionRedis(load: boolean): void {
    const vm = this.vm;
    const st = this.functionState;
    const L = st.L;
    vm.rawGetI(L, -10000, st.globalsMetaRef);
    vm.rawGetI(L, -10000, load ? this.#fnLoadEnv : st.globalsRef);
    vm.setField(L, -2, "__index");
    vm.pop(L, 1);
  }

  // --- the script cache -------------------------------------------------------

  /** Compiles and caches an EVAL body (SCRIPT LOAD, EVAL); returns the cached script. */
  cacheScript(body: string): CachedScript {
    const sha = sha1Hex(body);
    const cached = this.scripts.get(sha);
    if (cached !== undefined) return cached;
    const flags = parseShebang(body);
    const vm = this.vm;
    const L = this.evalState.L;
    if (vm.load(L, luaSource(body), "@user_script") !== LUA_OK) {
      const msg = vm.toString(L, -1) ?? "";
      vm.pop(L, 1);
      throw new CommandError(
        "ERR",
        `Error compiling script (new function): ${msg}`,
      );
    }
    const script = { sha, body, ref: vm.ref(L), flags };
    this.scripts.set(sha, script);
    this.#scriptBytes += body.length;
    return script;
  }

  /** SCRIPT FLUSH: forgets every script and starts a new Lua state. */
  flushScripts(): void {
    this.scripts.clear();
    this.#scriptBytes = 0;
    if (this.#eval !== undefined && this.running?.state !== this.#eval) {
      this.#spare.delete(this.#eval.L);
      this.vm.close(this.#eval.L);
      this.#eval = undefined;
    }
  }

  // --- functions --------------------------------------------------------------

  /** FUNCTION LOAD: compiles a library and registers its functions. Returns its name. */
  loadLibrary(code: string, replace: boolean): string {
    const { name } = parseLibraryMetadata(code);
    const old = this.libraries.get(name);
    if (old !== undefined && !replace) {
      throw new CommandError("ERR", `Library '${name}' already exists`);
    }
    const vm = this.vm;
    const st = this.functionState;
    const L = st.L;
    if (
      vm.load(
        L,
        code.startsWith("#!") ? "--" + code.slice(2) : code,
        "@user_function",
      ) !== LUA_OK
    ) {
      const msg = vm.toString(L, -1) ?? "";
      vm.pop(L, 1);
      throw new CommandError("ERR", `Error compiling function: ${msg}`);
    }
    const lib: Library = { name, code, functions: new Map() };
    this.#loading = { lib, L };
    this.#setFunctionRedis(true);
    const start = performance.now();
    let status: number;
    try {
      this.#loadStart = start;
      status = vm.pcall(L, 0, 0);
    } finally {
      this.#loading = undefined;
      this.#setFunctionRedis(false);
    }
    const release = () => {
      for (const f of lib.functions.values()) vm.unref(L, f.ref);
    };
    if (status !== LUA_OK) {
      const msg = errorText(vm, L, -1);
      vm.pop(L, 1);
      release();
      throw new CommandError("ERR", `Error registering functions: ${msg}`);
    }
    if (lib.functions.size === 0) {
      throw new CommandError("ERR", "No functions registered");
    }
    for (const fname of lib.functions.keys()) {
      const other = this.functionIndex.get(fname);
      if (other !== undefined && other.library.name !== name) {
        release();
        throw new CommandError("ERR", `Function ${fname} already exists`);
      }
    }
    if (old !== undefined) this.#dropLibrary(old);
    this.libraries.set(name, lib);
    for (const f of lib.functions.values()) this.functionIndex.set(f.name, f);
    return name;
  }

  #loadStart = 0;

  #dropLibrary(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const f of lib.functions.values()) {
      this.functionIndex.delete(f.name);
      if (this.#fn !== undefined) this.vm.unref(this.#fn.L, f.ref);
    }
  }

  /** FUNCTION DELETE. */
  deleteLibrary(name: string): void {
    const lib = this.libraries.get(name);
    if (lib === undefined) throw new CommandError("ERR", "Library not found");
    this.#dropLibrary(lib);
  }

  /** FUNCTION FLUSH: deletes every library and starts a new Lua state for functions. */
  flushFunctions(): void {
    this.libraries.clear();
    this.functionIndex.clear();
    if (this.#fn !== undefined && this.running?.state !== this.#fn) {
      this.#spare.delete(this.#fn.L);
      this.vm.close(this.#fn.L);
      this.#fn = undefined;
    }
  }

  // redis.register_function(name, callback) or ({function_name=..., callback=..., flags=..., description=...})
  #registerFunction(L: LuaState): number {
    const vm = this.vm;
    const loading = this.#loading;
    if (loading === undefined) {
      throw new LuaError(
        "redis.register_function can only be called on FUNCTION LOAD command",
      );
    }
    const n = vm.getTop(L);
    let name: string | undefined;
    let flags = new Set<ScriptFlag>();
    let description: string | null = null;
    if (n === 1 && vm.type(L, 1) === LUA_TTABLE) {
      vm.setTop(L, 2); // slot 2 receives the callback
      vm.pushNil(L);
      while (vm.next(L, 1)) {
        const key = vm.type(L, -2) === LUA_TSTRING ? vm.toString(L, -2)! : "";
        if (key === "function_name") {
          if (vm.type(L, -1) !== LUA_TSTRING) {
            throw new LuaError(
              "function_name argument given to redis.register_function must be a string",
            );
          }
          name = vm.toString(L, -1)!;
        } else if (key === "callback") {
          if (vm.type(L, -1) !== LUA_TFUNCTION) {
            throw new LuaError(
              "callback argument given to redis.register_function must be a function",
            );
          }
          vm.pushValue(L, -1);
          vm.replace(L, 2 + 0);
        } else if (key === "description") {
          if (vm.type(L, -1) !== LUA_TSTRING) {
            throw new LuaError(
              "description argument given to redis.register_function must be a string",
            );
          }
          description = vm.toString(L, -1)!;
        } else if (key === "flags") {
          if (vm.type(L, -1) !== LUA_TTABLE) {
            throw new LuaError(
              "flags argument to redis.register_function must be a table representing function flags",
            );
          }
          flags = readFlags(vm, L, vm.getTop(L));
        } else {
          throw new LuaError(
            "unknown argument given to redis.register_function",
          );
        }
        vm.pop(L, 1);
      }
      if (name === undefined) {
        throw new LuaError(
          "redis.register_function must get a function name argument",
        );
      }
      if (vm.type(L, 2) !== LUA_TFUNCTION) {
        throw new LuaError(
          "redis.register_function must get a callback argument",
        );
      }
    } else {
      if (n !== 2) {
        throw new LuaError(
          "wrong number of arguments to redis.register_function",
        );
      }
      if (vm.type(L, 1) !== LUA_TSTRING) {
        throw new LuaError(
          "first argument to redis.register_function must be a string",
        );
      }
      if (vm.type(L, 2) !== LUA_TFUNCTION) {
        throw new LuaError(
          "second argument to redis.register_function must be a function",
        );
      }
      name = vm.toString(L, 1)!;
    }
    if (!validName(name)) {
      // Redis 7.0 words this error as if about library names.
      throw new LuaError(
        "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long",
      );
    }
    if (loading.lib.functions.has(name)) {
      throw new LuaError("Function already exists in the library");
    }
    vm.pushValue(L, 2);
    const ref = vm.ref(L);
    loading.lib.functions.set(name, {
      name,
      ref,
      flags,
      description,
      library: loading.lib,
    });
    return 0;
  }

  // --- running ----------------------------------------------------------------

  /** EVAL/EVALSHA: runs a cached script. */
  runScript(
    ctx: Context,
    script: CachedScript,
    keys: string[],
    args: string[],
    readOnly: boolean,
  ): Reply {
    const st = this.evalState;
    const vm = this.vm;
    this.#checkFlags(script.flags, readOnly, ctx.client.internal);
    // KEYS and ARGV are globals of the eval state, set on the real globals.
    const L = st.L;
    vm.rawGetI(L, -10000, st.globalsRef);
    pushArgs(vm, L, keys);
    vm.setField(L, -2, "KEYS");
    pushArgs(vm, L, args);
    vm.setField(L, -2, "ARGV");
    vm.pop(L, 1);
    return this.#run(ctx, {
      kind: "eval",
      name: script.sha,
      state: st,
      ref: script.ref,
      flags: script.flags,
      readOnly,
      nargs: 0,
      keys,
      args,
    });
  }

  /** FCALL/FCALL_RO. */
  runFunction(
    ctx: Context,
    fn: LibraryFunction,
    keys: string[],
    args: string[],
    readOnly: boolean,
  ): Reply {
    const flags = { flags: fn.flags, compat: false };
    this.#checkFlags(flags, readOnly, ctx.client.internal);
    return this.#run(ctx, {
      kind: "function",
      name: fn.name,
      state: this.functionState,
      ref: fn.ref,
      flags,
      readOnly,
      nargs: 2,
      keys,
      args,
    });
  }

  #checkFlags(flags: ScriptFlags, readOnly: boolean, internal: boolean): void {
    if (flags.compat) return;
    const noWrites = flags.flags.has("no-writes");
    if (readOnly && !noWrites) {
      throw new CommandError(
        "ERR",
        "Can not execute a script with write flag using *_ro command.",
      );
    }
    if (!noWrites && this.#readOnlyReplica && !internal) {
      throw new CommandError(
        "READONLY",
        "Can not run script with write flag on readonly replica",
      );
    }
    if (!flags.flags.has("allow-oom") && !noWrites) {
      const maxmemory = this.server.config.number("maxmemory");
      if (maxmemory > 0 && this.#overMaxmemory()) {
        throw new CommandError(
          "OOM",
          "command not allowed when used memory > 'maxmemory'.",
        );
      }
    }
  }

  #overMaxmemory(): boolean {
    // The memory gate knows; ask it alone (the other gates would judge, and
    // the ACL's would log, a command nobody sent) with a denyoom command.
    const set = this.server.commands.get("set");
    if (set === undefined) return false;
    return oomGate(this.server, this.scriptClient, set, ["set", "k", "v"]) !==
      undefined;
  }

  #run(
    ctx: Context,
    t: {
      kind: "eval" | "function";
      name: string;
      state: ScriptState;
      ref: number;
      flags: ScriptFlags;
      readOnly: boolean;
      nargs: number;
      keys: string[];
      args: string[];
    },
  ): Reply {
    const vm = this.vm;
    const server = this.server;
    const L = t.state.L;
    let spare = this.#spare.get(L);
    if (
      spare === undefined || vm.status(spare.co) !== LUA_OK ||
      vm.getTop(spare.co) !== 0
    ) {
      if (spare !== undefined) vm.unref(L, spare.ref);
      const thread = vm.newThread(L);
      // Referenced from the registry so the GC leaves it alone.
      spare = { co: thread, ref: vm.ref(L) };
      this.#spare.set(L, spare);
    }
    const co = spare.co;
    vm.rawGetI(co, -10000, t.ref);
    if (t.nargs === 2) {
      pushArgs(vm, co, t.keys);
      pushArgs(vm, co, t.args);
    }
    // The script's commands run as the caller (ACL user, database).
    const client = this.scriptClient;
    client.db = ctx.client.db;
    client.user = ctx.client.user;
    client.aclUser = ctx.client.aclUser;
    client.scriptCaller = ctx.client;
    client.protocol = 2;
    const run: Run = {
      kind: t.kind,
      name: t.name,
      caller: ctx.client,
      callerCtx: ctx,
      state: t.state,
      co,
      flags: t.flags,
      readOnly: t.readOnly,
      start: Date.now(),
      mayYield: ctx.blockingAllowed,
      batch: server.beginPropagationBatch(),
      command: ctx.argv,
      resp: 2,
      timedOut: false,
      killed: false,
      wrote: false,
      suspended: false,
      lastYield: 0,
      yieldable: new Set([co]),
      at: undefined,
      repl: PROPAGATE_ALL,
    };
    this.running = run;
    let status: number;
    try {
      status = vm.resume(co, t.nargs);
    } catch (e) {
      this.#abandon(run);
      throw e;
    }
    if (status === LUA_YIELD) {
      run.suspended = true;
      this.#schedule(run);
      return ctx.block({ keys: [], deadline: 0, timeoutReply: null });
    }
    return this.#finish(run, status);
  }

  #schedule(run: Run): void {
    setTimeout(() => this.#continue(run), 0);
  }

  #continue(run: Run): void {
    if (this.running !== run) return;
    let reply: Reply;
    if (run.killed) {
      reply = this.#killedReply(run);
      this.#dropThread(run);
      this.#end(run);
    } else {
      let status: number;
      try {
        status = this.vm.resume(run.co, 0);
      } catch (e) {
        this.#abandon(run);
        log.warning(
          `Internal error in script: ${e instanceof Error ? e.stack : e}`,
        );
        reply = {
          kind: "error",
          line: "ERR internal error in tsredis while running a script",
        };
        unblock(this.server, run.caller, reply);
        return;
      }
      if (status === LUA_YIELD) {
        this.#schedule(run);
        return;
      }
      reply = this.#finish(run, status);
    }
    if (this.server.readyKeys.length !== 0) {
      pipelineHooks.afterCommand(this.server);
    }
    const error = errorFromReply(reply);
    if (error !== undefined) this.server.countError(error.code);
    unblock(this.server, run.caller, reply);
  }

  #killedReply(run: Run): Reply {
    const at = run.at;
    const line = at !== undefined && at.line > 0 ? String(at.line) : "?";
    const source = at?.source ?? "?";
    return {
      kind: "error",
      line: `${KILLED} script: ${run.name}, on ${source}:${line}.`,
    };
  }

  #abandon(run: Run): void {
    this.#dropThread(run);
    this.#end(run);
  }

  // A coroutine that failed or was abandoned cannot run again.
  #dropThread(run: Run): void {
    const spare = this.#spare.get(run.state.L);
    if (spare !== undefined && spare.co === run.co) {
      this.vm.unref(run.state.L, spare.ref);
      this.#spare.delete(run.state.L);
    }
  }

  #end(run: Run): void {
    if (this.running === run) this.running = undefined;
    this.scriptClient.scriptCaller = undefined;
    this.server.endPropagationBatch(run.batch);
    if (run.timedOut) {
      log.warning(
        `Slow script finished after ${Date.now() - run.start} milliseconds.`,
      );
    }
  }

  // The result or the error of a finished run.
  #finish(run: Run, status: number): Reply {
    const vm = this.vm;
    const co = run.co;
    let reply: Reply;
    if (status === LUA_OK) {
      reply = vm.getTop(co) === 0 ? null : toReply(vm, co, 1, run.resp);
      vm.setTop(co, 0);
    } else {
      const info = this.#errorInfo(run, status);
      reply = {
        kind: "error",
        line:
          `${info.message} script: ${run.name}, on ${info.source}:${info.line}.`,
      };
      if (info.counted) UNCOUNTED_ERRORS.add(reply);
      this.#dropThread(run);
    }
    this.#end(run);
    return reply;
  }

  #errorInfo(run: Run, _status: number): ErrorInfo {
    const vm = this.vm;
    const co = run.co;
    let message: string;
    let counted = false;
    const t = vm.type(co, -1);
    if (t === LUA_TTABLE) {
      vm.getField(co, -1, "err");
      message = vm.toString(co, -1) ?? "ERR unknown error";
      vm.pop(co, 1);
      vm.getField(co, -1, "ignore_error_stats_update");
      counted = vm.toBoolean(co, -1);
      vm.pop(co, 1);
    } else {
      message = "ERR " +
        (vm.toString(co, -1) ??
          `(error object is a ${typeName(vm, co, -1)} value)`);
    }
    // The user's line: past C functions and the sandbox's own Lua helpers.
    let at = vm.where(co, 0);
    for (
      let level = 1;
      at !== undefined && (at.what === "C" || at.source === "=prelude");
      level++
    ) {
      at = vm.where(co, level);
    }
    return {
      message,
      counted,
      source: at?.source ?? "?",
      line: at !== undefined && at.line >= 0 ? String(at.line) : "?",
    };
  }

  // The count hook: marks a long script busy, yields to the event loop, stops a killed one.
  #hook(L: LuaState): void {
    const run = this.running;
    const vm = this.vm;
    if (run === undefined) {
      if (
        this.#loading !== undefined && performance.now() - this.#loadStart > 500
      ) {
        pushErrorTable(vm, L, "FUNCTION LOAD timeout");
        vm.error(L);
      }
      return;
    }
    const now = Date.now();
    if (!run.timedOut) {
      const limit = this.server.config.number("busy-reply-threshold");
      if (now - run.start < limit) return;
      run.timedOut = true;
      run.lastYield = now;
      log.warning(
        `Slow script detected: still in execution after ${
          Math.round(now - run.start)
        } milliseconds. You can try killing the script using the ${
          run.kind === "eval" ? "SCRIPT" : "FUNCTION"
        } KILL command. Script name is: ${run.name}.`,
      );
    }
    const canYield = run.mayYield && run.yieldable.has(L) && vm.canYield(L);
    if (run.killed) {
      if (canYield) {
        run.at = vm.where(L, 0);
        vm.yield(L, 0);
        return;
      }
      // Inside a C call (pcall is ours, so rarely): raise, again at each hook.
      pushErrorTable(vm, L, KILLED.slice(4));
      vm.error(L);
      return;
    }
    if (canYield && now - run.lastYield >= SLICE_MS) {
      run.lastYield = now;
      run.at = vm.where(L, 0);
      vm.yield(L, 0);
    }
  }

  /** SCRIPT KILL / FUNCTION KILL. */
  kill(kind: "eval" | "function"): void {
    const run = this.running;
    if (run === undefined || !run.timedOut) throw notBusy();
    if (run.wrote) throw unkillableScript();
    // Killing the other kind answers with the BUSY error of the running one.
    if (run.kind !== kind) throw busyScript(run.kind === "eval");
    run.killed = true;
  }

  /** What FUNCTION STATS shows of the running function. */
  runningFunction():
    | { name: string; command: string[]; durationMs: number }
    | undefined {
    const run = this.running;
    if (run === undefined || run.kind !== "function") return undefined;
    return {
      name: run.name,
      command: run.command,
      durationMs: Date.now() - run.start,
    };
  }

  // redis.call / redis.pcall from the running script.
  #call(_L: LuaState, args: string[]): Reply | { error: string } {
    const run = this.running;
    const server = this.server;
    if (run === undefined) {
      return {
        error: "ERR redis.call can only be called inside a script invocation",
      };
    }
    // A refused command counts as a rejected call and an error reply (INFO
    // commandstats and errorstats), as Redis's scriptCall counts it.
    const refuse = (line: string, cmd?: Command) => {
      if (cmd !== undefined) cmd.stats.rejectedCalls++;
      server.countError(line.slice(0, line.indexOf(" ")));
      return { error: line };
    };
    const resolved = resolveCommand(server, args);
    if (resolved instanceof CommandError) {
      return refuse("ERR Unknown Redis command called from script");
    }
    const cmd: Command = resolved;
    const arity = cmd.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) {
      return refuse(
        "ERR Wrong number of args calling Redis command from script",
        cmd,
      );
    }
    if (cmd.flags.has("noscript")) {
      return refuse("ERR This Redis command is not allowed from script", cmd);
    }
    const writes = cmd.isWrite || cmd.flags.has("may_replicate");
    if (writes && (run.readOnly || run.flags.flags.has("no-writes"))) {
      return refuse(
        "ERR Write commands are not allowed from read-only scripts.",
        cmd,
      );
    }
    if (cmd.isWrite && this.#readOnlyReplica && !run.caller.internal) {
      return refuse(
        "READONLY You can't write against a read only replica.",
        cmd,
      );
    }
    const client = this.scriptClient;
    const gates = pipelineHooks.gates;
    for (let i = 0; i < gates.length; i++) {
      const e = gates[i]!(server, client, cmd, args);
      if (e !== undefined) {
        // Once a script has written, it must not stop half way for memory.
        if (
          e.code === "OOM" && (run.wrote || run.flags.flags.has("allow-oom"))
        ) continue;
        return refuse(e.line, cmd);
      }
    }
    if (cmd.isWrite) run.wrote = true;
    client.protocol = run.resp;
    const ctx = contextOf(server, client);
    if (run.repl === PROPAGATE_ALL) return call(ctx, cmd, args);
    // redis.set_repl: REPL_AOF (1), REPL_REPLICA (2) and REPL_NONE (0) are
    // the propagation targets the script's next commands reach.
    server.propagationTargets = run.repl;
    try {
      return call(ctx, cmd, args);
    } finally {
      server.propagationTargets = PROPAGATE_ALL;
    }
  }

  /** INFO memory figures. */
  memory(): ScriptingMemory {
    const vm = this.#vm;
    const evalBytes = vm !== undefined && this.#eval !== undefined
      ? vm.gcCount(this.#eval.L)
      : 0;
    const fnBytes = vm !== undefined && this.#fn !== undefined
      ? vm.gcCount(this.#fn.L)
      : 0;
    let functions = 0;
    for (const lib of this.libraries.values()) {
      functions += lib.functions.size;
    }
    return {
      vmEval: evalBytes === 0 ? 31744 : evalBytes,
      vmFunctions: fnBytes === 0 ? 32768 : fnBytes,
      scriptsEval: this.#scriptBytes + this.scripts.size * 168,
      functions: this.libraries.size === 0 ? 184 : 184 +
        [...this.libraries.values()].reduce((n, l) => n + l.code.length, 0),
      numberOfCachedScripts: this.scripts.size,
      numberOfFunctions: functions,
      numberOfLibraries: this.libraries.size,
    };
  }
}

function pushArgs(vm: LuaVM, L: LuaState, items: string[]): void {
  vm.newTable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    vm.pushString(L, items[i]!);
    vm.rawSetI(L, -2, i + 1);
  }
}

function readFlags(vm: LuaVM, L: LuaState, idx: number): Set<ScriptFlag> {
  const flags = new Set<ScriptFlag>();
  for (let i = 1;; i++) {
    vm.rawGetI(L, idx, i);
    if (vm.type(L, -1) === 0) {
      vm.pop(L, 1);
      break;
    }
    const f = vm.type(L, -1) === LUA_TSTRING ? vm.toString(L, -1)! : "";
    vm.pop(L, 1);
    if (!(SCRIPT_FLAGS as readonly string[]).includes(f)) {
      throw new LuaError("unknown flag given");
    }
    flags.add(f as ScriptFlag);
  }
  return flags;
}

// The message of an error value (a table's err field, or "ERR " and the string), for load errors.
function errorText(vm: LuaVM, L: LuaState, idx: number): string {
  if (vm.type(L, idx) === LUA_TTABLE) {
    vm.getField(L, idx, "err");
    const s = vm.toString(L, -1) ?? "";
    vm.pop(L, 1);
    return s;
  }
  return "ERR " + (vm.toString(L, idx) ?? "");
}

/** The runtime of `server`, created on first use. */
export function scriptingOf(server: ServerState): Scripting {
  let s = server.scripting as Scripting | undefined;
  if (s === undefined) {
    s = new Scripting(server);
    server.scripting = s;
  }
  return s;
}

/**
 * The error to throw for a script's error reply (so INFO errorstats counts
 * it under its code), or undefined when the reply is not an error or was
 * counted already (see UNCOUNTED_ERRORS).
 */
export function errorFromReply(r: Reply): CommandError | undefined {
  if (
    r === null || typeof r !== "object" || Array.isArray(r) ||
    r instanceof Uint8Array || (r as ReplyNode).kind !== "error" ||
    UNCOUNTED_ERRORS.has(r)
  ) return undefined;
  const line = (r as { line: string }).line;
  const sp = line.indexOf(" ");
  return sp < 0
    ? new CommandError(line, "")
    : new CommandError(line.slice(0, sp), line.slice(sp + 1));
}

/** True for a script error reply whose failed command was counted already. */
export function isUncountedError(r: Reply): boolean {
  return r !== null && typeof r === "object" && UNCOUNTED_ERRORS.has(r);
}

/** The BUSY gate: while a script runs past the threshold, other clients get BUSY. */
export function busyGate(
  server: ServerState,
  client: Client,
  cmd: Command,
  argv: string[],
): CommandError | undefined {
  const s = server.scripting as Scripting | undefined;
  if (s === undefined || !s.busy) return undefined;
  if (client === s.scriptClient) return undefined;
  if (cmd.flags.has("allow_busy")) {
    // SHUTDOWN may only skip saving: the dataset is half way through the script.
    if (
      cmd.name !== "shutdown" ||
      argv.some((a, i) => i > 0 && asciiLower(a) === "nosave")
    ) return undefined;
  }
  return busyScript(s.running!.kind === "eval");
}

/** Installs scripting on `server`: the runtime (the engine starts on first use) and the BUSY gate. */
export function installScripting(server: ServerState): void {
  scriptingOf(server);
  if (!pipelineHooks.gates.includes(busyGate)) {
    pipelineHooks.gates.unshift(busyGate);
  }
}
