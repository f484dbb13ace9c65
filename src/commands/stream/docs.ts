/**
 * COMMAND DOCS data of the stream commands (history and arguments), as
 * Redis 7.0 prints them.
 *
 * @module
 */
import type { CommandDocs } from "../types.ts";

/** COMMAND DOCS for XADD. */
export const DOCS_XADD: CommandDocs = {
  history: [[
    "6.2.0",
    "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.",
  ], ["7.0.0", "Added support for the `<ms>-*` explicit ID form."]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "nomkstream",
    type: "pure-token",
    token: "NOMKSTREAM",
    since: "6.2.0",
    optional: true,
  }, {
    name: "trim",
    type: "block",
    optional: true,
    arguments: [
      {
        name: "strategy",
        type: "oneof",
        arguments: [{ name: "maxlen", type: "pure-token", token: "MAXLEN" }, {
          name: "minid",
          type: "pure-token",
          token: "MINID",
          since: "6.2.0",
        }],
      },
      {
        name: "operator",
        type: "oneof",
        optional: true,
        arguments: [{ name: "equal", type: "pure-token", token: "=" }, {
          name: "approximately",
          type: "pure-token",
          token: "~",
        }],
      },
      { name: "threshold", type: "string" },
      {
        name: "count",
        type: "integer",
        token: "LIMIT",
        since: "6.2.0",
        optional: true,
      },
    ],
  }, {
    name: "id_or_auto",
    type: "oneof",
    arguments: [{ name: "auto_id", type: "pure-token", token: "*" }, {
      name: "id",
      type: "string",
    }],
  }, {
    name: "field_value",
    type: "block",
    multiple: true,
    arguments: [{ name: "field", type: "string" }, {
      name: "value",
      type: "string",
    }],
  }],
};

/** COMMAND DOCS for XLEN. */
export const DOCS_XLEN: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
};

/** COMMAND DOCS for XRANGE. */
export const DOCS_XRANGE: CommandDocs = {
  history: [["6.2.0", "Added exclusive ranges."]],
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "start", type: "string" },
    { name: "end", type: "string" },
    { name: "count", type: "integer", token: "COUNT", optional: true },
  ],
};

/** COMMAND DOCS for XREVRANGE. */
export const DOCS_XREVRANGE: CommandDocs = {
  history: [["6.2.0", "Added exclusive ranges."]],
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "end", type: "string" },
    { name: "start", type: "string" },
    { name: "count", type: "integer", token: "COUNT", optional: true },
  ],
};

/** COMMAND DOCS for XDEL. */
export const DOCS_XDEL: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "id",
    type: "string",
    multiple: true,
  }],
};

/** COMMAND DOCS for XTRIM. */
export const DOCS_XTRIM: CommandDocs = {
  history: [[
    "6.2.0",
    "Added the `MINID` trimming strategy and the `LIMIT` option.",
  ]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "trim",
    type: "block",
    arguments: [
      {
        name: "strategy",
        type: "oneof",
        arguments: [{ name: "maxlen", type: "pure-token", token: "MAXLEN" }, {
          name: "minid",
          type: "pure-token",
          token: "MINID",
          since: "6.2.0",
        }],
      },
      {
        name: "operator",
        type: "oneof",
        optional: true,
        arguments: [{ name: "equal", type: "pure-token", token: "=" }, {
          name: "approximately",
          type: "pure-token",
          token: "~",
        }],
      },
      { name: "threshold", type: "string" },
      {
        name: "count",
        type: "integer",
        token: "LIMIT",
        since: "6.2.0",
        optional: true,
      },
    ],
  }],
};

/** COMMAND DOCS for XREAD. */
export const DOCS_XREAD: CommandDocs = {
  arguments: [
    { name: "count", type: "integer", token: "COUNT", optional: true },
    { name: "milliseconds", type: "integer", token: "BLOCK", optional: true },
    {
      name: "streams",
      type: "block",
      token: "STREAMS",
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0, multiple: true },
        { name: "id", type: "string", multiple: true },
      ],
    },
  ],
};

/** COMMAND DOCS for XSETID. */
export const DOCS_XSETID: CommandDocs = {
  history: [[
    "7.0.0",
    "Added the `entries_added` and `max_deleted_entry_id` arguments.",
  ]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "last-id",
    type: "string",
  }, {
    name: "entries_added",
    type: "integer",
    token: "ENTRIESADDED",
    since: "7.0.0",
    optional: true,
  }, {
    name: "max_deleted_entry_id",
    type: "string",
    token: "MAXDELETEDID",
    since: "7.0.0",
    optional: true,
  }],
};

/** COMMAND DOCS for XREADGROUP. */
export const DOCS_XREADGROUP: CommandDocs = {
  arguments: [
    {
      name: "group_consumer",
      type: "block",
      token: "GROUP",
      arguments: [{ name: "group", type: "string" }, {
        name: "consumer",
        type: "string",
      }],
    },
    { name: "count", type: "integer", token: "COUNT", optional: true },
    { name: "milliseconds", type: "integer", token: "BLOCK", optional: true },
    { name: "noack", type: "pure-token", token: "NOACK", optional: true },
    {
      name: "streams",
      type: "block",
      token: "STREAMS",
      arguments: [
        { name: "key", type: "key", keySpecIndex: 0, multiple: true },
        { name: "id", type: "string", multiple: true },
      ],
    },
  ],
};

/** COMMAND DOCS for XACK. */
export const DOCS_XACK: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "group",
    type: "string",
  }, { name: "id", type: "string", multiple: true }],
};

/** COMMAND DOCS for XPENDING. */
export const DOCS_XPENDING: CommandDocs = {
  history: [[
    "6.2.0",
    "Added the `IDLE` option and exclusive range intervals.",
  ]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "group",
    type: "string",
  }, {
    name: "filters",
    type: "block",
    optional: true,
    arguments: [
      {
        name: "min-idle-time",
        type: "integer",
        token: "IDLE",
        since: "6.2.0",
        optional: true,
      },
      { name: "start", type: "string" },
      { name: "end", type: "string" },
      { name: "count", type: "integer" },
      { name: "consumer", type: "string", optional: true },
    ],
  }],
};

/** COMMAND DOCS for XCLAIM. */
export const DOCS_XCLAIM: CommandDocs = {
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "group", type: "string" },
    { name: "consumer", type: "string" },
    { name: "min-idle-time", type: "string" },
    { name: "id", type: "string", multiple: true },
    { name: "ms", type: "integer", token: "IDLE", optional: true },
    {
      name: "unix-time-milliseconds",
      type: "unix-time",
      token: "TIME",
      optional: true,
    },
    { name: "count", type: "integer", token: "RETRYCOUNT", optional: true },
    { name: "force", type: "pure-token", token: "FORCE", optional: true },
    { name: "justid", type: "pure-token", token: "JUSTID", optional: true },
    { name: "id", type: "string", token: "LASTID", optional: true },
  ],
};

/** COMMAND DOCS for XAUTOCLAIM. */
export const DOCS_XAUTOCLAIM: CommandDocs = {
  history: [[
    "7.0.0",
    "Added an element to the reply array, containing deleted entries the command cleared from the PEL",
  ]],
  arguments: [
    { name: "key", type: "key", keySpecIndex: 0 },
    { name: "group", type: "string" },
    { name: "consumer", type: "string" },
    { name: "min-idle-time", type: "string" },
    { name: "start", type: "string" },
    { name: "count", type: "integer", token: "COUNT", optional: true },
    { name: "justid", type: "pure-token", token: "JUSTID", optional: true },
  ],
};

/** COMMAND DOCS for XGROUP. */
export const DOCS_XGROUP: CommandDocs = {};

/** COMMAND DOCS for XGROUP CREATE. */
export const DOCS_XGROUP_CREATE: CommandDocs = {
  history: [["7.0.0", "Added the `entries_read` named argument."]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }, {
    name: "id",
    type: "oneof",
    arguments: [{ name: "id", type: "string" }, {
      name: "new_id",
      type: "pure-token",
      token: "$",
    }],
  }, {
    name: "mkstream",
    type: "pure-token",
    token: "MKSTREAM",
    optional: true,
  }, {
    name: "entries_read",
    type: "integer",
    token: "ENTRIESREAD",
    optional: true,
  }],
};

/** COMMAND DOCS for XGROUP SETID. */
export const DOCS_XGROUP_SETID: CommandDocs = {
  history: [["7.0.0", "Added the optional `entries_read` argument."]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }, {
    name: "id",
    type: "oneof",
    arguments: [{ name: "id", type: "string" }, {
      name: "new_id",
      type: "pure-token",
      token: "$",
    }],
  }, {
    name: "entries_read",
    type: "integer",
    token: "ENTRIESREAD",
    optional: true,
  }],
};

/** COMMAND DOCS for XGROUP DESTROY. */
export const DOCS_XGROUP_DESTROY: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }],
};

/** COMMAND DOCS for XGROUP CREATECONSUMER. */
export const DOCS_XGROUP_CREATECONSUMER: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }, { name: "consumername", type: "string" }],
};

/** COMMAND DOCS for XGROUP DELCONSUMER. */
export const DOCS_XGROUP_DELCONSUMER: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }, { name: "consumername", type: "string" }],
};

/** COMMAND DOCS for XGROUP HELP. */
export const DOCS_XGROUP_HELP: CommandDocs = {};

/** COMMAND DOCS for XINFO. */
export const DOCS_XINFO: CommandDocs = {};

/** COMMAND DOCS for XINFO STREAM. */
export const DOCS_XINFO_STREAM: CommandDocs = {
  history: [["6.0.0", "Added the `FULL` modifier."], [
    "7.0.0",
    "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields",
  ]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "full",
    type: "block",
    token: "FULL",
    optional: true,
    arguments: [{
      name: "count",
      type: "integer",
      token: "COUNT",
      optional: true,
    }],
  }],
};

/** COMMAND DOCS for XINFO GROUPS. */
export const DOCS_XINFO_GROUPS: CommandDocs = {
  history: [["7.0.0", "Added the `entries-read` and `lag` fields"]],
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }],
};

/** COMMAND DOCS for XINFO CONSUMERS. */
export const DOCS_XINFO_CONSUMERS: CommandDocs = {
  arguments: [{ name: "key", type: "key", keySpecIndex: 0 }, {
    name: "groupname",
    type: "string",
  }],
};

/** COMMAND DOCS for XINFO HELP. */
export const DOCS_XINFO_HELP: CommandDocs = {};
