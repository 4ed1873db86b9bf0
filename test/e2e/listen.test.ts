// `claimwire listen` end to end: a real insurer, delivery worker and clinic as separate
// processes, the CLI as a child process of its own, and two receivers in this process:
// `local` (where the CLI forwards, verifying with the secret the CLI printed, through the
// SDK's verifyWebhook) and `real` (a webhook endpoint the clinic subscribed, which the
// delivery worker calls), so what the CLI sends is compared with a real delivery.
import { execFile } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { type VerifiedKnownWebhookEvent, verifyWebhook } from "@claimwire/sdk";
import { type SpawnedProcess, spawnProcess, waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { REPO_ROOT } from "../src/harness/service-process.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

const CLI = join(REPO_ROOT, "packages/sdk/src/cli/main.ts");
const TEST_DIR = join(REPO_ROOT, "test");
const FIXED_SECRET = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;

type Arrival = {
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the request verified with the receiver's secret at arrival (every event here is of a type the SDK knows). */
  verified: VerifiedKnownWebhookEvent | undefined;
};

/** A receiver that verifies each POST with `secret` (204) or refuses it (401); it can go down and come back on its port. */
type Receiver = {
  url: string;
  arrivals: Arrival[];
  secret: string;
  stop(): Promise<void>;
  start(): Promise<void>;
};

async function startReceiver(): Promise<Receiver> {
  let port = 0;
  let server: Server | undefined;
  const receiver: Receiver = {
    url: "",
    arrivals: [],
    secret: "",
    stop: async () => {
      const closing = server;
      server = undefined;
      closing?.closeAllConnections();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
    start: async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
          const body = Buffer.concat(chunks);
          let verified: VerifiedKnownWebhookEvent | undefined;
          try {
            const result = verifyWebhook({ body, headers: req.headers, secret: receiver.secret });
            verified = result.known ? result : undefined;
          } catch {
            verified = undefined;
          }
          receiver.arrivals.push({ headers: req.headers, body: body.toString(), verified });
          res.writeHead(verified ? 204 : 401).end();
        });
      });
      const listening = server;
      await new Promise<void>((resolve) => listening.listen(port, "127.0.0.1", resolve));
      port = (listening.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/webhooks`;
    },
  };
  await receiver.start();
  return receiver;
}

/** The verified arrival of `type` for `claimId`, if any. */
function arrivalOf(receiver: Receiver, type: string, claimId: string): Arrival | undefined {
  return receiver.arrivals.find(
    (arrival) =>
      arrival.verified?.event.type === type &&
      "claimId" in arrival.verified.event.data &&
      arrival.verified.event.data.claimId === claimId,
  );
}

/** Starts `claimwire listen` with the clinic's key, forwarding to `local`, as a process that keeps running. */
function startListen(name: string, args: string[]): SpawnedProcess {
  return spawnProcess(
    name,
    process.execPath,
    ["--import", "tsx", CLI, "listen", ...apiKeyArgs, "--forward-to", local.url, ...args],
    { cwd: TEST_DIR, env: process.env },
  );
}

const run = promisify(execFile);
/** Runs the CLI to its end: exit code and output. */
async function runCli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: TEST_DIR,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

let sys: RunningSystem;
let local: Receiver;
let real: Receiver;
let listen: SpawnedProcess;
let apiKeyArgs: string[];

/** The line the CLI printed for event `eventId`, once it did. */
const lineFor = (eventId: string) =>
  listen.waitForLine(`the line for ${eventId}`, (line) => (line.includes(eventId) ? line : null));

/** The webhook id (event id) the real endpoint got for `type` of `claimId`. */
const realEventId = async (type: string, claimId: string) =>
  (await waitFor(`the real ${type} of ${claimId}`, () => arrivalOf(real, type, claimId))).verified
    ?.id ?? "";

beforeAll(async () => {
  [sys, local, real] = await Promise.all([
    startSystem({ quiet: true }),
    startReceiver(),
    startReceiver(),
  ]);
  apiKeyArgs = ["--api-key", sys.clinicApiKey, "--insurer-url", sys.insurerUrl];
  const endpoint = await sys.clinicClient.endpoints.create.mutate({
    url: real.url,
    eventTypes: ["*"],
  });
  real.secret = endpoint.secret;
}, 120_000);

afterAll(async () => {
  await listen?.kill();
  await Promise.all([local?.stop(), real?.stop()]);
  await sys?.stop();
});

describe("claimwire listen", () => {
  let before: string;
  let submitted: { id: string; eventId: string };

  it("forwards new events of the chosen types, signed and sent as a real delivery", async () => {
    // An event from before the start: "now" is after it.
    before = (await sys.clinicClient.claims.submit.mutate(sampleClaim())).id;
    await realEventId("claim.submitted", before);

    listen = startListen("claimwire listen", ["--events", "claim.submitted,claim.approved"]);
    local.secret = await listen.waitForLine(
      "the signing secret",
      (line) => line.match(/^Webhook signing secret: (whsec_\S+)/)?.[1],
    );
    await listen.waitForLine("Ready", (line) => line.startsWith("Ready"));

    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" });
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "approved" });
    await sys.staff.claims.decide.mutate({
      claimId: claim.id,
      to: "paid",
      paymentReference: "PAY-1",
    });
    // Forwarding keeps commit order: once a later claim's event is here, everything
    // before it was either forwarded or left out.
    await realEventId("claim.paid", claim.id);
    const later = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await waitFor("the later claim at the local receiver", () =>
      arrivalOf(local, "claim.submitted", later.id),
    );

    expect(local.arrivals.every((arrival) => arrival.verified)).toBe(true);
    expect(
      local.arrivals.map((a) => {
        const event = a.verified?.event;
        return [event?.type, event && "claimId" in event.data ? event.data.claimId : null];
      }),
    ).toEqual([
      ["claim.submitted", claim.id],
      ["claim.approved", claim.id],
      ["claim.submitted", later.id],
    ]);

    // The same request as the delivery worker's: webhook-id, body bytes, headers.
    for (const arrival of local.arrivals) {
      const id = arrival.verified?.id;
      const delivered = await waitFor(`the real delivery of ${id}`, () =>
        real.arrivals.find((r) => r.verified?.id === id),
      );
      expect(arrival.body).toBe(delivered?.body);
      expect(Object.keys(arrival.headers).sort()).toEqual(
        Object.keys(delivered?.headers ?? {}).sort(),
      );
      for (const name of ["content-type", "user-agent", "webhook-id", "content-length"]) {
        expect(arrival.headers[name], name).toBe(delivered?.headers[name]);
      }
    }

    const eventId = local.arrivals[0]?.verified?.id ?? "";
    expect(await lineFor(eventId)).toMatch(
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+claim\\.submitted\\s+${eventId}\\s+204\\s+\\d+ ms$`,
      ),
    );
    submitted = { id: claim.id, eventId };
  }, 90_000);

  it("prints an error line while the local URL is down, and goes on", async () => {
    await local.stop();
    const missed = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    const missedId = await realEventId("claim.submitted", missed.id);
    expect(await lineFor(missedId)).toMatch(/claim\.submitted\s+evt_\w+\s+error: .*ECONNREFUSED/);

    await local.start();
    const next = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await waitFor("the next claim at the local receiver", () =>
      arrivalOf(local, "claim.submitted", next.id),
    );
    expect(await lineFor(await realEventId("claim.submitted", next.id))).toMatch(/\s204\s/);
  }, 60_000);

  it("carries on from its cursor after the insurer restarts", async () => {
    await sys.restartInsurer(sys.insurer);
    // Committed while the CLI may still be waiting to reconnect: its cursor brings it.
    const after = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await waitFor(
      "the claim after the restart at the local receiver",
      () => arrivalOf(local, "claim.submitted", after.id),
      { timeoutMs: 30_000 },
    );
    const log = listen.lines.join("\n");
    expect(log).toMatch(/Could not reach the insurer at .*; retrying from the last event seen/);
    expect(log).toMatch(/Reconnected to the insurer/);
    // Nothing was forwarded twice across the reconnection.
    const ids = local.arrivals.map((a) => a.verified?.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(listen.running()).toBe(true);
  }, 60_000);

  it("stops on SIGTERM with exit code 0", async () => {
    await listen.kill("SIGTERM");
    expect(listen.child.exitCode).toBe(0);
  });

  it("--replay sends one event again, signed with the given secret, then exits", async () => {
    local.secret = FIXED_SECRET;
    const first = local.arrivals.find((a) => a.verified?.id === submitted.eventId);
    const count = local.arrivals.length;
    const replay = await runCli([
      "listen",
      ...apiKeyArgs,
      "--forward-to",
      local.url,
      "--replay",
      submitted.eventId,
      "--secret",
      FIXED_SECRET,
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`claim\\.submitted\\s+${submitted.eventId}\\s+204`));
    const again = local.arrivals.slice(count);
    expect(again).toHaveLength(1);
    expect(again[0]?.verified?.id).toBe(submitted.eventId);
    expect(again[0]?.body).toBe(first?.body);

    const missing = await runCli([
      "listen",
      ...apiKeyArgs,
      "--forward-to",
      local.url,
      "--replay",
      "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /No event 'evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6' in this clinic's feed/,
    );
    expect(local.arrivals).toHaveLength(count + 1);
  }, 60_000);

  it("--since forwards what came after a cursor of the feed", async () => {
    local.secret = FIXED_SECRET;
    const page = await sys.clinicClient.events.list.query({ limit: 1 });
    const [oldest] = page.items;
    const since = startListen("claimwire listen --since", [
      "--events",
      "claim.submitted",
      "--since",
      page.nextCursor ?? "",
      "--secret",
      FIXED_SECRET,
    ]);
    try {
      // The oldest event is the claim submitted before the first listener started; the
      // next claim.submitted after it is the first listener's first one.
      expect(oldest?.id).toBe(await realEventId("claim.submitted", before));
      const line = await since.waitForLine(
        "the first claim",
        (l) => l.includes(submitted.eventId) && l,
      );
      expect(line).toMatch(/\s204\s/);
      expect(since.lines.join("\n")).not.toContain(oldest?.id);
    } finally {
      await since.kill();
    }

    const bad = await runCli([
      "listen",
      ...apiKeyArgs,
      "--forward-to",
      local.url,
      "--since",
      "nope",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since: 'nope' is not a cursor of this insurer's event feed/);
  }, 60_000);

  it("refuses a bad key, a bad URL and an unknown flag clearly, never printing the key", async () => {
    const badKey = "cw_clinic_not_a_key_0123456789";
    const refused = await runCli([
      "listen",
      "--api-key",
      badKey,
      "--insurer-url",
      sys.insurerUrl,
      "--forward-to",
      local.url,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused the API key \(UNAUTHORIZED\)/);
    expect(refused.stdout + refused.stderr).not.toContain(badKey);

    const badUrl = await runCli(["listen", ...apiKeyArgs, "--forward-to", "localhost:3000"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--forward-to: 'localhost:3000' is not an http\(s\) URL/);

    const unknown = await runCli(["listen", ...apiKeyArgs, "--forward", local.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--forward'/);
    for (const result of [badUrl, unknown]) {
      expect(result.stdout + result.stderr).not.toContain(sys.clinicApiKey);
    }
  }, 60_000);
});
