import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TestHttpsServer = {
  port: number;
  /** TCP connections accepted, whether or not TLS then succeeded. */
  connections: () => number;
  close(): Promise<void>;
};

/**
 * An HTTPS receiver on loopback with a fresh self-signed certificate for `localhost`
 * (made by the openssl CLI, so no key is ever committed). Clients that verify
 * certificates, as the worker does, refuse it: that is what the tests want.
 */
export async function startSelfSignedHttpsServer(): Promise<TestHttpsServer> {
  const dir = mkdtempSync(join(tmpdir(), "claimwire-tls-"));
  let key: Buffer;
  let cert: Buffer;
  try {
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1"],
        ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ],
      { stdio: "ignore" },
    );
    key = readFileSync(join(dir, "key.pem"));
    cert = readFileSync(join(dir, "cert.pem"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let connections = 0;
  const server = createServer({ key, cert }, (_req, res) => res.writeHead(204).end());
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
