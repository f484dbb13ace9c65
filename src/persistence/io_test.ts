import { assertEquals } from "../../tests/_deps.ts";
import { renameOver } from "./io.ts";

Deno.test("renameOver replaces the target at once, or creates it", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/new`, "new");
    await renameOver(`${dir}/new`, `${dir}/dump.rdb`);
    assertEquals(Deno.readTextFileSync(`${dir}/dump.rdb`), "new");
    Deno.writeTextFileSync(`${dir}/newer`, "newer");
    const released = renameOver(`${dir}/newer`, `${dir}/dump.rdb`);
    // The name points at the new file before the old one is let go of.
    assertEquals(Deno.readTextFileSync(`${dir}/dump.rdb`), "newer");
    await released;
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["dump.rdb"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("renameOver leaves an old file that another name links to whole", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/dump.rdb`, "old contents");
    Deno.linkSync(`${dir}/dump.rdb`, `${dir}/backup.rdb`);
    Deno.writeTextFileSync(`${dir}/tmp`, "new");
    await renameOver(`${dir}/tmp`, `${dir}/dump.rdb`);
    assertEquals(Deno.readTextFileSync(`${dir}/backup.rdb`), "old contents");
    assertEquals(Deno.readTextFileSync(`${dir}/dump.rdb`), "new");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("renameOver throws what rename throws and keeps the target", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/dump.rdb`, "kept");
    let failed = false;
    try {
      void renameOver(`${dir}/missing`, `${dir}/dump.rdb`);
    } catch (e) {
      failed = e instanceof Deno.errors.NotFound;
    }
    assertEquals(failed, true);
    assertEquals(Deno.readTextFileSync(`${dir}/dump.rdb`), "kept");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
