/**
 * ASCII sparklines as Redis draws them (sparkline.c): each sample is one
 * column, `rows` rows high with three steps per row (`_o#` when filled,
 * `|` below the top), and optional labels printed vertically under their
 * column after one blank line. Used by LATENCY GRAPH.
 *
 * @module
 */

/** One column of a sparkline. */
export interface SparklineSample {
  readonly value: number;
  /** Printed vertically under the column; empty for none. */
  readonly label: string;
}

const CHARSET = "_-`";
const CHARSET_FILL = "_o#";
const LABEL_MARGIN_TOP = 1;

/** Draws `samples` `columns` wide (longer sequences wrap), `rows` high. */
export function renderSparkline(
  samples: readonly SparklineSample[],
  columns: number,
  rows: number,
  fill: boolean,
): string {
  let min = 0;
  let max = 0;
  let labels = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!.value;
    if (i === 0) {
      min = max = v;
    } else if (v < min) {
      min = v;
    } else if (v > max) {
      max = v;
    }
    if (samples[i]!.label !== "") labels++;
  }
  let out = "";
  for (let j = 0; j < samples.length; j += columns) {
    if (j !== 0) out += "\n";
    out += renderRange(
      samples.slice(j, j + columns),
      { min, max, labels },
      rows,
      fill,
    );
  }
  return out;
}

// Redis's sparklineRenderRange (linear scale).
function renderRange(
  samples: readonly SparklineSample[],
  seq: { min: number; max: number; labels: number },
  rows: number,
  fill: boolean,
): string {
  const steps = CHARSET.length * rows;
  const relmax = seq.max - seq.min === 0 ? 1 : seq.max - seq.min;
  const len = samples.length;
  let out = "";
  for (let row = 0;; row++) {
    let loop = false;
    const chars: string[] = new Array(len).fill(" ");
    for (let j = 0; j < len; j++) {
      const s = samples[j]!;
      // C: step = (int)(relval*steps)/relmax, then stored in an int.
      let step = Math.trunc(Math.trunc((s.value - seq.min) * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * CHARSET.length;
        loop = true;
        if (charidx >= 0 && charidx < CHARSET.length) {
          chars[j] = fill ? CHARSET_FILL[charidx]! : CHARSET[charidx]!;
        } else if (fill && charidx >= CHARSET.length) {
          chars[j] = "|";
        }
      } else {
        // A blank line between the graph and the labels.
        if (seq.labels !== 0 && row - rows < LABEL_MARGIN_TOP) {
          loop = true;
          break;
        }
        const at = row - rows - LABEL_MARGIN_TOP;
        if (s.label !== "" && s.label.length > at) {
          loop = true;
          chars[j] = s.label[at]!;
        }
      }
    }
    if (!loop) break;
    out += chars.join("") + "\n";
  }
  return out;
}
