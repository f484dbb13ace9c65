/**
 * Wires the ACL into a server: the permission gates, EXEC's re-check, and
 * the users of the config file (`user` lines) or of the `aclfile`, loaded
 * at start-up as Redis's ACLLoadUsersAtStartup loads them. Also the file
 * I/O of ACL LOAD and ACL SAVE.
 *
 * @module
 */
import type { Client } from "../client.ts";
import { pipelineHooks } from "../commands/dispatch.ts";
import { ConfigFileError } from "../config.ts";
import { log } from "../log.ts";
import type { ServerState } from "../state.ts";
import { bytesToLatin1, latin1ToBytes } from "../util/bytes.ts";
import { aclExecGate, aclOf } from "./acl.ts";
import { AclRuleError } from "./errors.ts";
import { formatAclFile, parseAclFile } from "./file.ts";
import { hasSpaces } from "./selector.ts";
import { mergeSelectorArguments } from "./user.ts";

/** Start-up must stop: the reason has been logged, as redis-server logs it before exiting. */
export class AclStartupError extends Error {
  /** `message` is what was logged. */
  constructor(message: string) {
    super(message);
    this.name = "AclStartupError";
  }
}

// "No such file or directory (os error 2): readfile ..." → strerror's text.
function strerror(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(
    / \(os error \d+\).*$/s,
    "",
  );
}

/**
 * Installs the ACL on `server` and loads its users. Throws a
 * ConfigFileError for an invalid `user` line and an AclStartupError when
 * redis-server would log and exit.
 */
export function installAcl(server: ServerState): void {
  const acl = aclOf(server);
  if (!pipelineHooks.execGates.includes(aclExecGate)) {
    pipelineHooks.execGates.push(aclExecGate);
  }
  const config = server.config;
  const lines = config.userLines;
  validateUserLines(server);
  const aclfile = config.get("aclfile");
  if (aclfile !== "" && lines.length !== 0) {
    return fail(
      "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.",
    );
  }
  for (const line of lines) {
    const [name, ...rest] = line.args as [string, ...string[]];
    if (hasSpaces(name)) return fail("Spaces not allowed in ACL usernames");
    let user = acl.users.get(name);
    if (user === undefined) {
      user = acl.newUser(name);
      acl.users.set(name, user);
    } else {
      acl.apply(user, "reset");
    }
    const rules = mergeSelectorArguments(rest) as string[];
    for (const rule of rules) {
      try {
        acl.apply(user, rule);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        log.warning(
          `Error loading ACL rule '${rule}' for the user named '${name}': ${e.message}`,
        );
        return fail("Critical error while loading ACLs. Exiting.");
      }
    }
    if (!user.enabled) {
      log.notice(
        `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
      );
    }
  }
  acl.refreshAuthentication();
  if (aclfile !== "") {
    const errors = loadAclFile(server, undefined);
    if (errors !== undefined) {
      return fail(`Aborting Redis startup because of ACL errors: ${errors}`);
    }
  }
  acl.refreshGate();
  config.userRewrite = () =>
    config.get("aclfile") !== ""
      ? []
      : formatAclFile(acl.users, acl.index).split("\n").filter((l) => l !== "");
}

function fail(message: string): never {
  log.warning(message);
  throw new AclStartupError(message);
}

/**
 * Redis's ACLAppendUserForLoading for every `user` line: a user declared
 * twice, or a rule that cannot apply for a reason other than an unknown
 * command, is a fatal config file error.
 */
function validateUserLines(server: ServerState): void {
  const acl = aclOf(server);
  const seen = new Set<string>();
  for (const line of server.config.userLines) {
    const argv = ["user", ...line.args];
    const error = (index: number, message: string) =>
      new ConfigFileError(
        `Error in user declaration '${argv[index]}': ${message}`,
        line.line,
        line.text,
      );
    const name = argv[1]!;
    if (seen.has(name)) throw error(1, new AclRuleError("EALREADY").message);
    seen.add(name);
    const rules = mergeSelectorArguments(argv.slice(2));
    if (!Array.isArray(rules)) {
      // Redis reports whatever errno was left over here; on start-up that
      // is the unknown-name text.
      throw error(rules.unmatched, new AclRuleError("ENOENT").message);
    }
    const fake = acl.newUser(name);
    // Redis reports the index of the rule as an index into the whole line.
    rules.forEach((rule, j) => {
      try {
        acl.apply(fake, rule);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        if (e.reason !== "ENOENT") throw error(j, e.message);
      }
    });
  }
}

/**
 * ACL LOAD: replaces the users with the aclfile's. Returns the error text
 * (nothing changed), or undefined on success. `caller` is the connection
 * asking, closed after its reply if its user goes away.
 */
export function loadAclFile(
  server: ServerState,
  caller: Client | undefined,
): string | undefined {
  const acl = aclOf(server);
  const filename = server.config.get("aclfile");
  let text: string;
  try {
    text = bytesToLatin1(Deno.readFileSync(server.config.path(filename)));
  } catch (e) {
    return `Error loading ACLs, opening file '${filename}': ${strerror(e)}`;
  }
  const parsed = parseAclFile(text, {
    filename,
    index: acl.index,
    allChannels: acl.pubsubAllChannels,
  });
  if (!(parsed instanceof Map)) return parsed.errors;
  acl.replaceUsers(parsed, caller);
  return undefined;
}

/** ACL SAVE: writes every user to the aclfile (through a temp file). Returns false on I/O errors, logged. */
export function saveAclFile(server: ServerState): boolean {
  const acl = aclOf(server);
  const filename = server.config.path(server.config.get("aclfile"));
  const text = formatAclFile(acl.users, acl.index);
  const tmp = `${filename}.tmp-${Deno.pid}-${server.clock.now()}`;
  try {
    Deno.writeFileSync(tmp, latin1ToBytes(text), { mode: 0o644 });
  } catch (e) {
    log.warning(`Opening temp ACL file for ACL SAVE: ${strerror(e)}`);
    return false;
  }
  try {
    Deno.renameSync(tmp, filename);
  } catch (e) {
    log.warning(`Renaming ACL file for ACL SAVE: ${strerror(e)}`);
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    return false;
  }
  return true;
}
