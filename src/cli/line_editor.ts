/**
 * A small line editor for the interactive CLI on a terminal: cursor keys,
 * Home/End, backspace/delete, history (up/down), Ctrl-A/E/U/K/L/W, Ctrl-C
 * and Ctrl-D.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads lines from a terminal with editing and history. */
export class LineEditor {
  readonly history: string[];
  readonly #historyFile: string | undefined;

  /** `historyFile` is read at start and appended to on each line. */
  constructor(historyFile?: string) {
    this.#historyFile = historyFile;
    this.history = [];
    if (historyFile !== undefined) {
      try {
        this.history = Deno.readTextFileSync(historyFile).split("\n").filter((
          l,
        ) => l !== "");
      } catch {
        // No history yet.
      }
    }
  }

  #write(text: string): void {
    Deno.stdout.writeSync(encoder.encode(text));
  }

  /** Remembers a line in the history (and the history file). */
  remember(line: string): void {
    if (line === "" || this.history[this.history.length - 1] === line) return;
    this.history.push(line);
    if (this.#historyFile !== undefined) {
      try {
        Deno.writeTextFileSync(this.#historyFile, line + "\n", {
          append: true,
        });
      } catch {
        // History is a convenience; never fail a command over it.
      }
    }
  }

  /**
   * Shows `prompt` and returns the line typed, or undefined on Ctrl-D at an
   * empty line or Ctrl-C (redis-cli exits on both).
   */
  async readLine(prompt: string): Promise<string | undefined> {
    let line: string[] = [];
    let cursor = 0;
    let historyIndex = this.history.length;
    const redraw = () => {
      const text = line.join("");
      const back = line.length - cursor;
      this.#write(`\r${prompt}${text}\x1b[K${back > 0 ? `\x1b[${back}D` : ""}`);
    };
    Deno.stdin.setRaw(true);
    try {
      this.#write(prompt);
      const buf = new Uint8Array(256);
      for (;;) {
        const n = await Deno.stdin.read(buf);
        if (n === null) return undefined;
        const input = decoder.decode(buf.subarray(0, n));
        for (let i = 0; i < input.length; i++) {
          const ch = input[i]!;
          const code = ch.charCodeAt(0);
          if (ch === "\r" || ch === "\n") {
            this.#write("\r\n");
            return line.join("");
          } else if (code === 3) { // Ctrl-C
            this.#write("\r\n");
            return undefined;
          } else if (code === 4) { // Ctrl-D
            if (line.length === 0) {
              this.#write("\r\n");
              return undefined;
            }
            if (cursor < line.length) line.splice(cursor, 1);
          } else if (code === 127 || code === 8) {
            if (cursor > 0) line.splice(--cursor, 1);
          } else if (code === 1) {
            cursor = 0;
          } else if (code === 5) {
            cursor = line.length;
          } else if (code === 21) { // Ctrl-U
            line = line.slice(cursor);
            cursor = 0;
          } else if (code === 11) { // Ctrl-K
            line = line.slice(0, cursor);
          } else if (code === 23) { // Ctrl-W
            let start = cursor;
            while (start > 0 && line[start - 1] === " ") start--;
            while (start > 0 && line[start - 1] !== " ") start--;
            line.splice(start, cursor - start);
            cursor = start;
          } else if (code === 12) { // Ctrl-L
            this.#write("\x1b[H\x1b[2J");
          } else if (code === 27 && input[i + 1] === "[") {
            const key = input[i + 2];
            i += 2;
            if (key === "A" || key === "B") {
              historyIndex = Math.max(
                0,
                Math.min(
                  this.history.length,
                  historyIndex + (key === "A" ? -1 : 1),
                ),
              );
              line = [...(this.history[historyIndex] ?? "")];
              cursor = line.length;
            } else if (key === "C") {
              cursor = Math.min(line.length, cursor + 1);
            } else if (key === "D") {
              cursor = Math.max(0, cursor - 1);
            } else if (key === "H") {
              cursor = 0;
            } else if (key === "F") {
              cursor = line.length;
            } else if (key === "3" && input[i + 1] === "~") {
              i++;
              if (cursor < line.length) line.splice(cursor, 1);
            }
          } else if (code >= 32) {
            line.splice(cursor++, 0, ch);
          }
          redraw();
        }
      }
    } finally {
      Deno.stdin.setRaw(false);
    }
  }
}
