/**
 * The command table as the ACL sees it: a numeric id for every command and
 * subcommand (the bit it owns in a selector's command bitmap), each one's
 * categories as a bit mask, the order rules are rendered in, and the strict
 * `name` / `name|sub` lookup that ACL rules use.
 *
 * Redis assigns ids in command-table order and renders single-command
 * rules in the order of its command dict, which is a hash order seeded at
 * random on every start; tsredis uses name order, which is one of the
 * orders Redis can print.
 *
 * @module
 */
import {
  ACL_CATEGORIES,
  type AclCategory,
  type Command,
} from "../commands/types.ts";
import { asciiLower } from "../util/bytes.ts";

/** Bits in a selector's command bitmap (Redis's USER_COMMAND_BITS_COUNT). */
export const COMMAND_BITS = 1024;

/**
 * The bit no command gets: set only by `+@all`/`allcommands`, it says the
 * rules started from everything (so future commands are allowed too) and
 * decides whether ACL LIST starts with `+@all` or `-@all`.
 */
export const FUTURE_COMMANDS_BIT = COMMAND_BITS - 1;

/** The bit of category `name` in a command's category mask, or 0 for unknown names. */
export function categoryBit(name: string): number {
  const i = ACL_CATEGORIES.indexOf(asciiLower(name) as AclCategory);
  return i < 0 ? 0 : 1 << i;
}

/** One command or subcommand with what the ACL derives from it. */
export interface IndexedCommand {
  readonly command: Command;
  readonly id: number;
  /** Bit i set for ACL_CATEGORIES[i]. */
  readonly categories: number;
  /** The subcommands, in rendering order (empty for plain commands). */
  readonly subcommands: readonly IndexedCommand[];
}

/** The ACL's view of one command table. */
export class CommandIndex {
  /** Top-level commands in rendering order. */
  readonly top: readonly IndexedCommand[];
  readonly #byCommand = new Map<Command, IndexedCommand>();
  readonly #commands: ReadonlyMap<string, Command>;

  /** Indexes the table `commands` (as ServerState.commands holds it). */
  constructor(commands: ReadonlyMap<string, Command>) {
    this.#commands = commands;
    const distinct = [...new Set(commands.values())].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    let next = 0;
    const index = (command: Command): IndexedCommand => {
      const id = next++;
      if (next === FUTURE_COMMANDS_BIT) next++;
      let categories = 0;
      for (const c of command.aclCategories) categories |= categoryBit(c);
      const subs = command.subcommands === undefined
        ? []
        : [...command.subcommands.values()].sort((a, b) =>
          a.name < b.name ? -1 : a.name > b.name ? 1 : 0
        ).map(index);
      const entry = { command, id, categories, subcommands: subs };
      this.#byCommand.set(command, entry);
      return entry;
    };
    this.top = distinct.map(index);
    if (next > COMMAND_BITS) {
      throw new RangeError("Too many commands for the ACL command bitmap");
    }
  }

  /** The entry of a table command, or undefined if it is not in this table. */
  of(command: Command): IndexedCommand | undefined {
    return this.#byCommand.get(command);
  }

  /**
   * Redis's ACLLookupCommand: `name` or `name|sub`, any case. A `|` form
   * finds only subcommands of a container; more than one `|` finds nothing.
   */
  lookup(name: string): IndexedCommand | undefined {
    const parts = name.split("|");
    if (parts.length > 2) return undefined;
    const base = this.#commands.get(asciiLower(parts[0]!));
    if (base === undefined) return undefined;
    if (parts.length === 1) return this.#byCommand.get(base);
    if (base.subcommands === undefined) return undefined;
    const sub = base.subcommands.get(asciiLower(parts[1]!));
    return sub === undefined ? undefined : this.#byCommand.get(sub);
  }

  /** Calls `fn` for every command and subcommand, each parent before its subcommands. */
  forEach(fn: (entry: IndexedCommand) => void): void {
    const walk = (list: readonly IndexedCommand[]) => {
      for (const e of list) {
        fn(e);
        walk(e.subcommands);
      }
    };
    walk(this.top);
  }
}

const indexes = new WeakMap<ReadonlyMap<string, Command>, CommandIndex>();

/** The (cached) index of a command table. */
export function commandIndex(
  commands: ReadonlyMap<string, Command>,
): CommandIndex {
  let index = indexes.get(commands);
  if (index === undefined) {
    index = new CommandIndex(commands);
    indexes.set(commands, index);
  }
  return index;
}
