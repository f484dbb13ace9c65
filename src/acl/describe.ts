/**
 * Renders users as ACL LIST, ACL GETUSER and the ACL file show them, the
 * way Redis 7.0 renders them: the command rules are not the rules that were
 * given but a short list rebuilt from the command bitmap (Redis's
 * ACLDescribeSelectorCommandRules): `+@all` or `-@all`, then the category
 * that fits best while one still fits better than not, then single
 * commands to fix what the categories got wrong.
 *
 * @module
 */
import { ACL_CATEGORIES } from "../commands/types.ts";
import type { CommandIndex, IndexedCommand } from "./command_index.ts";
import { KEY_ALL, KEY_READ, type KeyPattern, Selector } from "./selector.ts";
import type { User } from "./user.ts";

/** `~pat`, `%R~pat` or `%W~pat`. */
export function describeKeyPattern(k: KeyPattern): string {
  const prefix = k.flags === KEY_ALL
    ? "~"
    : k.flags === KEY_READ
    ? "%R~"
    : "%W~";
  return prefix + k.pattern;
}

/** The command rules of a selector, as ACL GETUSER's `commands` field shows them. */
export function describeCommandRules(
  selector: Selector,
  index: CommandIndex,
): string {
  const rules: string[] = [];
  // The rules are applied to a fake selector as they are emitted, so what
  // is still different from the real one is known at every step.
  const fake = new Selector(false, false);
  const additive = !selector.futureCommands;
  if (additive) {
    rules.push("-@all");
    fake.denyAll();
  } else {
    rules.push("+@all");
    fake.allowAll();
  }
  // The commands no category rule has accounted for yet: a category is
  // applied to it in the opposite direction once emitted.
  const temp = new Selector(false, false);
  temp.commands.set(selector.commands);
  const applied = new Array<boolean>(ACL_CATEGORIES.length).fill(false);
  for (;;) {
    let best = -1;
    let minDiff = Infinity;
    let maxSame = 0;
    for (let j = 0; j < ACL_CATEGORIES.length; j++) {
      if (applied[j]) continue;
      const [on, off] = temp.countCategory(index, 1 << j);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (
        same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))
      ) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    const name = ACL_CATEGORIES[best]!;
    rules.push((additive ? "+@" : "-@") + name);
    fake.changeCategory(index, 1 << best, additive);
    temp.changeCategory(index, 1 << best, !additive);
    applied[best] = true;
  }
  const single = (list: readonly IndexedCommand[]) => {
    for (const e of list) {
      const userBit = selector.bit(e.id);
      if (userBit !== fake.bit(e.id)) {
        rules.push((userBit ? "+" : "-") + e.command.fullName);
        fake.changePerm(e, userBit);
      }
      single(e.subcommands);
      const firstArgs = selector.firstArgs?.get(e.id);
      if (!userBit && firstArgs !== undefined) {
        for (const arg of firstArgs) {
          rules.push(`+${e.command.fullName}|${arg}`);
        }
      }
    }
  };
  single(index.top);
  return rules.join(" ");
}

/** A selector as ACL LIST shows it: keys, channels, then command rules. */
export function describeSelector(
  selector: Selector,
  index: CommandIndex,
): string {
  let out = "";
  if (selector.allKeys) {
    out += "~* ";
  } else {
    for (const k of selector.keys) out += describeKeyPattern(k) + " ";
  }
  if (selector.allChannels) {
    out += "&* ";
  } else {
    out += "resetchannels ";
    for (const c of selector.channels) out += `&${c} `;
  }
  return out + describeCommandRules(selector, index);
}

/** A user's rules as ACL LIST shows them (after `user <name> `). */
export function describeUser(user: User, index: CommandIndex): string {
  let out = "";
  for (const flag of user.flagNames()) out += flag + " ";
  for (const hash of user.passwords) out += `#${hash} `;
  for (const s of user.selectors) {
    const text = describeSelector(s, index);
    out += s.root ? text : ` (${text})`;
  }
  return out;
}

/** ACL GETUSER's `keys` field of a selector. */
export function describeKeys(selector: Selector): string {
  if (selector.allKeys) return "~*";
  return selector.keys.map(describeKeyPattern).join(" ");
}

/** ACL GETUSER's `channels` field of a selector. */
export function describeChannels(selector: Selector): string {
  if (selector.allChannels) return "&*";
  return selector.channels.map((c) => `&${c}`).join(" ");
}
