/**
 * Why an ACL rule was refused, with Redis's wording for each reason
 * (ACLSetUserStringError). Redis reports these through `errno`; here a
 * rule throws an `AclRuleError` carrying the reason.
 *
 * @module
 */

/** The reasons a rule can fail, named after the errno Redis sets. */
export type AclRuleReason =
  | "ENOENT"
  | "EINVAL"
  | "EEXIST"
  | "EISDIR"
  | "ENODEV"
  | "EBADMSG"
  | "EALREADY"
  | "ECHILD";

const MESSAGES: Record<AclRuleReason, string> = {
  ENOENT: "Unknown command or category name in ACL",
  EINVAL: "Syntax error",
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: "The password you are trying to remove from the user does not exist",
  EBADMSG:
    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
  EALREADY:
    "Duplicate user found. A user can only be defined once in config files",
  ECHILD: "Allowing first-arg of a subcommand is not supported",
};

/** A rule that could not be applied. `message` is Redis's text for the reason. */
export class AclRuleError extends Error {
  readonly reason: AclRuleReason;

  /** An error for `reason`. */
  constructor(reason: AclRuleReason) {
    super(MESSAGES[reason]);
    this.reason = reason;
    this.name = "AclRuleError";
  }
}
