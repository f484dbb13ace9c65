/**
 * The ACL file (`aclfile`): one `user <name> <rules...>` line per user, as
 * ACL SAVE writes it and ACL LOAD and start-up read it, and the `user`
 * lines of the config file. Reading follows Redis's ACLLoadFromFile: lines
 * are split on single spaces, comments are errors, and any error leaves
 * the current users as they were.
 *
 * @module
 */
import type { CommandIndex } from "./command_index.ts";
import { AclRuleError } from "./errors.ts";
import { hasSpaces } from "./selector.ts";
import { mergeSelectorArguments, User } from "./user.ts";
import { describeUser } from "./describe.ts";

// sdstrim: drops the characters of `set` from both ends.
function trim(s: string, set: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && set.includes(s[a]!)) a++;
  while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/**
 * Parses ACL file text into users (Redis's ACLLoadFromFile). `filename` is
 * the aclfile setting as configured (error texts quote it). Returns the
 * users, or the one-line error text Redis replies with.
 */
export function parseAclFile(
  text: string,
  opts: { filename: string; index: CommandIndex; allChannels: boolean },
): Map<string, User> | { errors: string } {
  const { filename, index, allChannels } = opts;
  // Redis reads the file as a C string: a NUL ends it.
  const nul = text.indexOf("\0");
  const lines = (nul < 0 ? text : text.slice(0, nul)).split("\n");
  const users = new Map<string, User>();
  let errors = "";
  for (let i = 0; i < lines.length; i++) {
    const linenum = i + 1;
    const line = trim(lines[i]!, " \t\r\n");
    if (line === "") continue;
    const argv = line.split(" ");
    if (argv[0] !== "user" || argv.length < 2) {
      errors +=
        `${filename}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1]!;
    if (hasSpaces(name)) {
      errors +=
        `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
      continue;
    }
    const user = new User(name, allChannels);
    users.set(name, user);
    const rules = mergeSelectorArguments(argv.slice(2));
    if (!Array.isArray(rules)) {
      // Redis 7.0.15 crashes here; report it instead.
      errors +=
        `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let reported = false;
    for (const raw of rules) {
      const rule = trim(raw, "\t\r\n");
      try {
        user.apply(rule, index, allChannels);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        if (e.reason === "ENOENT") {
          // Unknown commands are named: it says nothing secret.
          errors +=
            `${filename}:${linenum}: Error in applying operation '${rule}': ${e.message}. `;
        } else if (!reported) {
          // Only the first other error: it may explain the ones after it.
          errors += `${filename}:${linenum}: ${e.message}. `;
          reported = true;
        }
      }
    }
  }
  if (errors !== "") {
    return {
      errors: errors +
        "WARNING: ACL errors detected, no change to the previously active ACL rules was performed",
    };
  }
  return users;
}

/** The ACL file text for `users` (ACL SAVE): one line per user, in byte order of names. */
export function formatAclFile(
  users: ReadonlyMap<string, User>,
  index: CommandIndex,
): string {
  const names = [...users.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  let out = "";
  for (const name of names) {
    out += `user ${name} ${describeUser(users.get(name)!, index)}\n`;
  }
  return out;
}
