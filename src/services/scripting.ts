/**
 * What the rest of the server needs from Lua scripting without importing
 * it: the FUNCTION libraries for RDB (FUNCTION2 records) and AOF, whether a
 * script is running past busy-reply-threshold, and memory figures for
 * INFO. `src/scripting/` provides it; `features.ts` installs it.
 *
 * @module
 */

/** The loaded FUNCTION libraries. */
export interface FunctionsService {
  /** The source code of every library, in load order (RDB FUNCTION2 records, AOF rewrite). */
  libraries(): string[];
  /**
   * Loads a library from its source (RDB/AOF loading, replication). Throws
   * a `CommandError` with Redis's text when the code is bad or, without
   * `replace`, when the library exists.
   */
  load(code: string, replace: boolean): void;
  /** Deletes every library (FUNCTION FLUSH; before a full sync loads another set). */
  flush(): void;
}

/** Memory figures of scripting, for INFO memory. */
export interface ScriptingMemory {
  /** Bytes of the Lua engine used by EVAL scripts (used_memory_vm_eval / used_memory_lua). */
  vmEval: number;
  /** Bytes of the Lua engine used by functions (used_memory_vm_functions). */
  vmFunctions: number;
  /** Bytes of cached EVAL script bodies and their bookkeeping (used_memory_scripts_eval). */
  scriptsEval: number;
  /** Bytes of function bookkeeping (used_memory_functions). */
  functions: number;
  numberOfCachedScripts: number;
  numberOfFunctions: number;
  numberOfLibraries: number;
}

/** Lua scripting as the server sees it. */
export interface ScriptingService {
  /** True while a script runs past busy-reply-threshold (other clients get BUSY). */
  readonly busy: boolean;
  /** The FUNCTION libraries. */
  readonly functions: FunctionsService;
  /** Memory figures for INFO. */
  memory(): ScriptingMemory;
}
