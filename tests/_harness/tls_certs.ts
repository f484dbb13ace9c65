/**
 * Certificates for TLS tests, made at run time with `openssl` (as Redis's
 * utils/gen-test-certs.sh does): a CA, a server certificate for 127.0.0.1
 * and localhost, a client certificate, a second CA with its own server and
 * client certificates (reload tests), a self-signed client certificate no
 * CA vouches for, and the server key encrypted with a passphrase.
 *
 * @module
 */
import { findExecutable } from "./tools.ts";

/** Path of openssl, if installed (TLS tests are ignored without it). */
export const OPENSSL = findExecutable("openssl");

/** One certificate and its private key (PEM files). */
export interface CertPair {
  cert: string;
  key: string;
}

/** The files `makeTestCertificates` writes. */
export interface TestCertificates {
  dir: string;
  /** The CA that signed `server` and `client`. */
  ca: string;
  server: CertPair;
  client: CertPair;
  /** `server.key` encrypted with `keyPass`. */
  encryptedServerKey: string;
  keyPass: string;
  /** A second CA, with its own server and client certificates. */
  ca2: string;
  server2: CertPair;
  client2: CertPair;
  /** A self-signed client certificate that no CA here vouches for. */
  stranger: CertPair;
  /** Removes the directory. */
  remove(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(OPENSSL!, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `openssl ${args.join(" ")} failed: ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
}

// EC P-256 keys: quick to make, and both rustls and OpenSSL take them.
async function newKey(cwd: string, name: string): Promise<void> {
  await openssl([
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-out",
    name,
  ], cwd);
}

async function newCa(cwd: string, name: string): Promise<void> {
  await newKey(cwd, `${name}.key`);
  await openssl([
    "req",
    "-x509",
    "-new",
    "-sha256",
    "-key",
    `${name}.key`,
    "-days",
    "2",
    "-subj",
    `/O=tsredis Test/CN=${name} Certificate Authority`,
    "-out",
    `${name}.crt`,
  ], cwd);
}

async function signed(
  cwd: string,
  ca: string,
  name: string,
  usage: "serverAuth" | "clientAuth",
): Promise<CertPair> {
  await newKey(cwd, `${name}.key`);
  await openssl([
    "req",
    "-new",
    "-sha256",
    "-key",
    `${name}.key`,
    "-subj",
    `/O=tsredis Test/CN=${name}`,
    "-out",
    `${name}.csr`,
  ], cwd);
  const ext = `${name}.ext`;
  await Deno.writeTextFile(
    `${cwd}/${ext}`,
    `keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = ${usage}\n` +
      (usage === "serverAuth"
        ? "subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1\n"
        : ""),
  );
  await openssl([
    "x509",
    "-req",
    "-sha256",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    // A serial of its own: certificates are made in parallel, and a
    // shared serial file would race.
    "-set_serial",
    String(Math.floor(Math.random() * 2 ** 48)),
    "-days",
    "2",
    "-extfile",
    ext,
    "-out",
    `${name}.crt`,
  ], cwd);
  return { cert: `${cwd}/${name}.crt`, key: `${cwd}/${name}.key` };
}

/** Makes every certificate in a fresh temp directory. Needs openssl. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  if (OPENSSL === undefined) throw new Error("openssl is not installed");
  const dir = await Deno.makeTempDir({ prefix: "tsredis-tls-" });
  await newCa(dir, "ca");
  await newCa(dir, "ca2");
  const [server, client, server2, client2] = await Promise.all([
    signed(dir, "ca", "server", "serverAuth"),
    signed(dir, "ca", "client", "clientAuth"),
    signed(dir, "ca2", "server2", "serverAuth"),
    signed(dir, "ca2", "client2", "clientAuth"),
  ]);
  await newKey(dir, "stranger.key");
  await openssl([
    "req",
    "-x509",
    "-new",
    "-sha256",
    "-key",
    "stranger.key",
    "-days",
    "2",
    "-subj",
    "/O=Nobody/CN=stranger",
    "-out",
    "stranger.crt",
  ], dir);
  const keyPass = "s3cret pass";
  await openssl([
    "pkcs8",
    "-topk8",
    "-v2",
    "aes-256-cbc",
    "-in",
    "server.key",
    "-passout",
    `pass:${keyPass}`,
    "-out",
    "server_encrypted.key",
  ], dir);
  return {
    dir,
    ca: `${dir}/ca.crt`,
    server,
    client,
    encryptedServerKey: `${dir}/server_encrypted.key`,
    keyPass,
    ca2: `${dir}/ca2.crt`,
    server2,
    client2,
    stranger: { cert: `${dir}/stranger.crt`, key: `${dir}/stranger.key` },
    remove: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}
