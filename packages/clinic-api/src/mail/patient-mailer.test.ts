import { Writable } from "node:stream";
import { claims, patientEmailOutbox } from "@claimwire/clinic-db";
import type { ClaimEvent, SubmitClaimInput } from "@claimwire/contracts";
import { waitFor } from "@claimwire/testing";
import { asc, eq } from "drizzle-orm";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  claimLifecycle,
  createTestClinic,
  submittedClaim,
  type TestClinic,
} from "../testing/clinic-fixture.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../testing/test-smtp-server.ts";
import type { SmtpSettings } from "./mail-settings.ts";

let clinic: TestClinic | undefined;
let smtp: TestSmtpServer | undefined;
afterEach(async () => {
  clinic?.close();
  await smtp?.close();
  clinic = undefined;
  smtp = undefined;
});

const RETRY_DELAYS_MS = [60_000, 300_000];
const PATIENT = "patient@example.org";

const submission: SubmitClaimInput = {
  clinicReference: "INV-2026-0042",
  patientRef: "pat_8f3k2m9x",
  policyNumber: "POL-123456",
  currency: "EUR",
  serviceLines: [{ code: "99213", serviceDate: "2026-11-27", quantity: 1, unitAmount: 18_500 }],
};

/** A clinic whose e-mail goes to the in-process SMTP server; the insurer answers a submit with v1. */
async function clinicWithMail(
  events: ClaimEvent[],
  options: { smtp?: Partial<SmtpSettings>; logger?: pino.Logger; server?: TestSmtpServer } = {},
) {
  smtp = options.server ?? (await startTestSmtpServer());
  const sent: unknown[] = [];
  const [first] = events;
  if (!first) throw new Error("events needed");
  clinic = createTestClinic({
    client: {
      claims: {
        submit: {
          mutate: async (input: unknown) => {
            sent.push(input);
            return submittedClaim(first);
          },
        },
      },
    } as never,
    ...(options.logger ? { logger: options.logger } : {}),
    config: {
      publicUrl: "http://127.0.0.1:3000",
      gapWaitMs: 30_000,
      patientBaseUrl: "https://patients.clinic.example",
      emailRetryDelaysMs: RETRY_DELAYS_MS,
      smtp: {
        host: "127.0.0.1",
        port: smtp.port,
        tls: "none",
        auth: null,
        from: "Demo Clinic <clinic@claimwire.test>",
        timeoutMs: 2_000,
        ...options.smtp,
      },
    },
  });
  clinic.mailer?.start();
  return { clinic, smtp, sentToInsurer: sent };
}

async function submitWithContact(
  app: TestClinic,
  contact: { email: string; language?: "en" | "ru" } | undefined,
  reference = submission.clinicReference,
) {
  const response = await app.app.request("/api/trpc/claims.submit", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...submission,
      clinicReference: reference,
      ...(contact ? { patientContact: contact } : {}),
    }),
  });
  expect(response.status).toBe(200);
}

async function deliverAndProcess(app: TestClinic, event: ClaimEvent, webhookId?: string) {
  expect((await app.deliver(event, webhookId ? { webhookId } : {})).status).toBe(204);
  app.processor.processPending();
  app.mailer?.wake();
}

function outbox(app: TestClinic) {
  return app.db.select().from(patientEmailOutbox).orderBy(asc(patientEmailOutbox.id)).all();
}

function tokenOf(app: TestClinic, claimId: string) {
  return app.db.select().from(claims).where(eq(claims.id, claimId)).get()?.patientToken;
}

describe("e-mail to the patient", () => {
  it("e-mails each status the patient should know about once, with the page's link and nothing the page does not show", async () => {
    const events = claimLifecycle();
    const [v1, v2, v3, v4] = events;
    const { clinic, smtp, sentToInsurer } = await clinicWithMail(events);

    await submitWithContact(clinic, { email: PATIENT, language: "en" });
    // The address stays at the clinic.
    expect(JSON.stringify(sentToInsurer)).not.toContain(PATIENT);
    expect(sentToInsurer).toEqual([submission]);

    await deliverAndProcess(clinic, v1, "evt_v1"); // a duplicate of the submit response
    await deliverAndProcess(clinic, v2, "evt_v2"); // in review: the page shows it, no e-mail
    await deliverAndProcess(clinic, v3, "evt_v3");
    await deliverAndProcess(clinic, v3, "evt_v3_again"); // the same version under another id
    await deliverAndProcess(clinic, v4, "evt_v4");
    await deliverAndProcess(clinic, v4, "evt_v4"); // the same delivery repeated

    await waitFor("three e-mails sent", () =>
      outbox(clinic).every((row) => row.state === "sent") && smtp.received.length === 3
        ? true
        : undefined,
    );
    expect(outbox(clinic).map((row) => [row.version, row.status, row.state])).toEqual([
      [1, "submitted", "sent"],
      [3, "approved", "sent"],
      [4, "paid", "sent"],
    ]);
    const link = `https://patients.clinic.example/p/${tokenOf(clinic, v1.data.claimId)}`;
    const subjects = smtp.received.map((mail) => mail.parsed.subject);
    expect(subjects).toEqual([
      "Your claim INV-2026-0042 was sent to your insurer",
      "Claim INV-2026-0042 approved",
      "Claim INV-2026-0042 paid",
    ]);
    for (const mail of smtp.received) {
      expect(mail.to).toEqual([PATIENT]);
      expect(mail.parsed.from?.text).toBe('"Demo Clinic" <clinic@claimwire.test>');
      const text = mail.parsed.text ?? "";
      expect(text).toContain(link);
      // No amount, id, policy, patient reference or reason beyond what the page shows.
      for (const hidden of [
        "185",
        v1.data.claimId,
        v1.data.clinicId,
        "POL-123456",
        "pat_8f3k2m9x",
        "EUR",
        "€",
        "99213",
      ]) {
        expect(`${mail.parsed.subject}\n${text}`).not.toContain(hidden);
      }
    }
  });

  it("writes in the language chosen for the patient, and the clinic's default otherwise", async () => {
    const events = claimLifecycle(undefined, "INV-RU-1");
    const { clinic, smtp } = await clinicWithMail(events);
    await submitWithContact(clinic, { email: PATIENT, language: "ru" }, "INV-RU-1");
    await waitFor("the Russian e-mail", () => smtp.received[0]);
    expect(smtp.received[0]?.parsed.subject).toBe("Ваше обращение INV-RU-1 отправлено страховщику");
    expect(smtp.received[0]?.parsed.text).toContain(
      "Статус обращения всегда можно посмотреть здесь:",
    );
    expect(outbox(clinic)[0]).toMatchObject({ language: "ru", state: "sent" });
  });

  it("keeps the address optional: without one nothing is queued and the claim goes through", async () => {
    const events = claimLifecycle();
    const { clinic } = await clinicWithMail(events);
    await submitWithContact(clinic, undefined);
    await deliverAndProcess(clinic, events[1], "evt_v2");
    await deliverAndProcess(clinic, events[2], "evt_v3");
    expect(outbox(clinic)).toEqual([]);
    expect(clinic.db.select().from(claims).get()).toMatchObject({
      status: "approved",
      patientEmail: null,
    });
  });

  it("refuses an address that is not one, naming the field, and stores nothing", async () => {
    const events = claimLifecycle();
    const { clinic, sentToInsurer } = await clinicWithMail(events);
    const response = await clinic.app.request("/api/trpc/claims.submit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...submission, patientContact: { email: "not an address" } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { data: { fieldErrors: object } } };
    expect(body.error.data.fieldErrors).toHaveProperty("patientContact.email");
    expect(sentToInsurer).toEqual([]);
    expect(clinic.db.select().from(claims).all()).toEqual([]);
  });

  it("e-mails the submission once when the webhook overtook the submit response", async () => {
    const events = claimLifecycle();
    const { clinic, smtp } = await clinicWithMail(events);
    await deliverAndProcess(clinic, events[0], "evt_v1"); // before the answer: no address yet
    expect(outbox(clinic)).toEqual([]);
    await submitWithContact(clinic, { email: PATIENT });
    await waitFor("the e-mail", () => smtp.received[0]);
    expect(outbox(clinic).map((row) => [row.version, row.status])).toEqual([[1, "submitted"]]);
  });

  it("retries a 4xx and then a 5xx answer with backoff, then sends once", async () => {
    const events = claimLifecycle();
    const { clinic, smtp } = await clinicWithMail(events);
    smtp.behave("fail-4xx");
    await submitWithContact(clinic, { email: PATIENT });

    const first = await waitFor("the first failure recorded", () =>
      outbox(clinic).find((row) => row.attempts === 1),
    );
    expect(first).toMatchObject({ state: "pending", leaseUntil: null });
    expect(first.lastError).toContain("451");
    expect(Date.parse(first.nextAttemptAt) - clinic.clock.now()).toBe(RETRY_DELAYS_MS[0]);

    // Not due yet: a wake-up does not try it again.
    clinic.mailer?.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.dataAttempts()).toBe(1);

    smtp.behave("fail-5xx");
    clinic.clock.advance(RETRY_DELAYS_MS[0] ?? 0);
    clinic.mailer?.wake();
    const second = await waitFor("the second failure recorded", () =>
      outbox(clinic).find((row) => row.attempts === 2),
    );
    expect(second.lastError).toContain("554");
    expect(Date.parse(second.nextAttemptAt) - clinic.clock.now()).toBe(RETRY_DELAYS_MS[1]);

    smtp.behave("accept");
    clinic.clock.advance(RETRY_DELAYS_MS[1] ?? 0);
    clinic.mailer?.wake();
    await waitFor("sent", () => outbox(clinic)[0]?.state === "sent");
    expect(smtp.received).toHaveLength(1);
    expect(outbox(clinic)[0]).toMatchObject({ attempts: 2, lastError: null });
  });

  it("marks an e-mail failed after its last retry, and at once when the server refuses the address", async () => {
    const events = claimLifecycle();
    const { clinic, smtp } = await clinicWithMail(events);
    smtp.behave("fail-4xx");
    await submitWithContact(clinic, { email: PATIENT });
    for (const [index, delay] of RETRY_DELAYS_MS.entries()) {
      await waitFor(`failure ${index + 1} recorded`, () => {
        const row = outbox(clinic)[0];
        return row?.leaseUntil === null && row.attempts === index + 1;
      });
      clinic.clock.advance(delay);
      clinic.mailer?.wake();
    }
    await waitFor("failed", () => outbox(clinic)[0]?.state === "failed");
    expect(outbox(clinic)[0]).toMatchObject({ attempts: 3, state: "failed" });

    smtp.behave("refuse-recipient");
    await deliverAndProcess(clinic, events[1], "evt_v2");
    await deliverAndProcess(clinic, events[2], "evt_v3");
    const refused = await waitFor("refused", () =>
      outbox(clinic).find((row) => row.version === 3 && row.state === "failed"),
    );
    expect(refused.attempts).toBe(1);
    expect(refused.lastError).toContain("550");
  });

  it("never blocks the receiver or other claims while the SMTP server stalls, and times the stalled send out", async () => {
    const first = claimLifecycle(undefined, "INV-STALL");
    const { clinic, smtp } = await clinicWithMail(first, { smtp: { timeoutMs: 3_000 } });
    smtp.behave("stall");
    await submitWithContact(clinic, { email: PATIENT }, "INV-STALL");
    await waitFor("the stalled message reached the server", () => smtp.dataAttempts() === 1);

    // The receiver answers and the processor applies while that send hangs.
    const other = claimLifecycle(undefined, "INV-OTHER");
    expect((await clinic.deliver(other[0], { webhookId: "evt_other_v1" })).status).toBe(204);
    clinic.processor.processPending();
    // The other claim has no address (it came by webhook only); give it one as staff would.
    clinic.db
      .update(claims)
      .set({ patientEmail: "other@example.org", patientLanguage: "en" })
      .where(eq(claims.id, other[1].data.claimId))
      .run();
    smtp.behave("accept");
    await deliverAndProcess(clinic, other[1], "evt_other_v2");
    await deliverAndProcess(clinic, other[2], "evt_other_v3");
    await waitFor("the other claim's e-mail sent", () =>
      smtp.received.find((mail) => mail.to.includes("other@example.org")),
    );
    const stalled = outbox(clinic).find((row) => row.version === 1);
    expect(stalled).toMatchObject({ state: "pending", attempts: 0 });

    const timedOut = await waitFor("the stalled send timed out", () =>
      outbox(clinic).find((row) => row.version === 1 && row.attempts === 1),
    );
    expect(timedOut.lastError).toMatch(/time/i);
    clinic.clock.advance(RETRY_DELAYS_MS[0] ?? 0);
    clinic.mailer?.wake();
    await waitFor("the stalled e-mail sent on its retry", () =>
      outbox(clinic).find((row) => row.version === 1 && row.state === "sent"),
    );
    expect(smtp.received.filter((mail) => mail.to.includes(PATIENT))).toHaveLength(1);
  });

  it("sends again at start an e-mail whose send was cut off (at least once)", async () => {
    const events = claimLifecycle();
    const { clinic, smtp } = await clinicWithMail(events);
    clinic.mailer?.stop();
    await submitWithContact(clinic, { email: PATIENT });
    // As a process killed mid-send leaves it: leased far into the future, never marked.
    clinic.db.update(patientEmailOutbox).set({ leaseUntil: "2999-01-01T00:00:00.000Z" }).run();
    clinic.mailer?.start();
    await waitFor("sent", () => outbox(clinic)[0]?.state === "sent");
    expect(smtp.received).toHaveLength(1);
  });

  it("never writes the SMTP password to a log line or the outbox", async () => {
    const password = "s3cret-Pa55word!";
    const lines: string[] = [];
    const logger = pino(
      { level: "trace" },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const server = await startTestSmtpServer({ auth: { user: "clinic", password: "other" } });
    const events = claimLifecycle();
    const { clinic } = await clinicWithMail(events, {
      server,
      logger,
      smtp: { auth: { user: "clinic", password } },
    });
    await submitWithContact(clinic, { email: PATIENT });
    const failed = await waitFor("the refused login recorded", () =>
      outbox(clinic).find((row) => row.attempts === 1),
    );
    expect(failed.lastError).toContain("535");
    const logged = lines.join("");
    expect(logged).toContain("could not e-mail the patient");
    for (const secret of [password, Buffer.from(password).toString("base64")]) {
      expect(logged).not.toContain(secret);
      expect(JSON.stringify(outbox(clinic))).not.toContain(secret);
    }
    // Nor the patient's address.
    expect(logged).not.toContain(PATIENT);
  });

  it("queues nothing while e-mail is off, and keeps the address for later", async () => {
    smtp = await startTestSmtpServer();
    const events = claimLifecycle();
    clinic = createTestClinic({
      client: {
        claims: { submit: { mutate: async () => submittedClaim(events[0]) } },
      } as never,
    });
    expect(clinic.mailer).toBeNull();
    await submitWithContact(clinic, { email: PATIENT, language: "ru" });
    await deliverAndProcess(clinic, events[1], "evt_v2");
    await deliverAndProcess(clinic, events[2], "evt_v3");
    expect(outbox(clinic)).toEqual([]);
    expect(clinic.db.select().from(claims).get()).toMatchObject({
      patientEmail: PATIENT,
      patientLanguage: "ru",
    });
  });
});
