/**
 * ACL commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { acl } from "./acl.ts";

/** The ACL group. */
export const aclCommands: readonly Command[] = [acl];
