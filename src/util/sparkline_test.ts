import { assertEquals } from "../../tests/_deps.ts";
import { renderSparkline } from "./sparkline.ts";

Deno.test("renderSparkline draws Redis's filled graph with vertical labels", () => {
  // LATENCY GRAPH of two samples (50 ms two seconds ago, 200 ms now) in
  // redis-server 7.0.
  assertEquals(
    renderSparkline(
      [{ value: 50, label: "2s" }, { value: 200, label: "0s" }],
      80,
      4,
      true,
    ),
    " #\n |\n |\n_|\n  \n20\nss\n",
  );
});

Deno.test("renderSparkline without labels has no blank line, and wraps at the column count", () => {
  assertEquals(
    renderSparkline(
      [1, 2, 3].map((value) => ({ value, label: "" })),
      2,
      1,
      false,
    ),
    "_-\n\n`\n",
  );
});
