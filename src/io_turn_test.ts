import { assert, assertEquals } from "../tests/_deps.ts";
import { IoTurn } from "./io_turn.ts";

Deno.test("IoTurn.next lets a socket that became readable during a run of ready reads be served", async () => {
  const turn = new IoTurn();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const busy = await Deno.connect({ hostname: "127.0.0.1", port });
  const busyEnd = await listener.accept();
  const other = await Deno.connect({ hostname: "127.0.0.1", port });
  const otherEnd = await listener.accept();
  try {
    // Far more than one read's worth is waiting on the busy socket.
    const flood = busy.write(new Uint8Array(1024 * 1024));
    await flood;
    const buf = new Uint8Array(16 * 1024);
    // The runtime now knows the busy socket is readable: reads of it
    // complete at once from here on.
    await busyEnd.read(buf);
    let served = -1;
    const pending = otherEnd.read(new Uint8Array(8)).then(() => {
      served = reads;
    });
    await other.write(new Uint8Array([1]));
    let reads = 0;
    // Each read is ready at once; one turn between reads.
    while (served < 0 && reads < 100) {
      await busyEnd.read(buf);
      reads++;
      await turn.next();
    }
    await pending;
    assert(served >= 0 && served <= 2, `served after ${served} reads`);
    busy.close();
    await flood.catch(() => {});
  } finally {
    for (const c of [other, busyEnd, otherEnd]) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    listener.close();
    await turn.close();
  }
});

Deno.test("IoTurn.next shares one turn among those waiting at once, and still resolves once closed", async () => {
  const turn = new IoTurn();
  const a = turn.next();
  const b = turn.next();
  assertEquals(a, b);
  await Promise.all([a, b]);
  await turn.close();
  await turn.next();
});
