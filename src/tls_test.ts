import { assertEquals, assertThrows } from "../tests/_deps.ts";
import { Config } from "./config.ts";
import { loadTlsMaterial, parseTlsProtocols, TlsConfigError } from "./tls.ts";

Deno.test("parseTlsProtocols defaults to TLSv1.2 and TLSv1.3 as Redis does", () => {
  assertEquals(parseTlsProtocols(""), { min: "TLSv1.2", max: "TLSv1.3" });
});

Deno.test("parseTlsProtocols takes Redis's names in any case and order", () => {
  assertEquals(parseTlsProtocols("TLSv1.3"), {
    min: "TLSv1.3",
    max: "TLSv1.3",
  });
  assertEquals(parseTlsProtocols("tlsv1.2"), {
    min: "TLSv1.2",
    max: "TLSv1.2",
  });
  assertEquals(parseTlsProtocols("TLSv1.3 TLSv1.2"), {
    min: "TLSv1.2",
    max: "TLSv1.3",
  });
});

Deno.test("parseTlsProtocols refuses unknown names and doubled spaces with Redis's text", () => {
  for (const text of ["SSLv3", "TLSv1.2  TLSv1.3", "TLSv1.4"]) {
    const e = assertThrows(() => parseTlsProtocols(text), TlsConfigError);
    assertEquals(
      (e as Error).message,
      "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
    );
  }
});

Deno.test("parseTlsProtocols refuses only-old versions, which rustls lacks, and drops them beside new ones", () => {
  assertThrows(() => parseTlsProtocols("TLSv1 TLSv1.1"), TlsConfigError);
  assertEquals(parseTlsProtocols("TLSv1.1 TLSv1.2"), {
    min: "TLSv1.2",
    max: "TLSv1.2",
  });
});

Deno.test("loadTlsMaterial checks the directives in tlsConfigure's order, before reading a file", () => {
  const config = new Config();
  const message = () => {
    try {
      loadTlsMaterial(config);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };
  assertEquals(message(), "No tls-cert-file configured!");
  config.set("tls-cert-file", "/nonexistent/server.crt");
  assertEquals(message(), "No tls-key-file configured!");
  config.set("tls-key-file", "/nonexistent/server.key");
  assertEquals(
    message(),
    "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!",
  );
  config.set("tls-auth-clients", "no");
  config.set("tls-protocols", "TLSv9");
  assertEquals(
    message(),
    "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
  );
  config.set("tls-protocols", "");
  config.set("tls-replication", "yes");
  assertEquals(message().startsWith("Either tls-ca-cert-file"), true);
});
