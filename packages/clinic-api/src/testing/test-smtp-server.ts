// A real SMTP server (the smtp-server package) in the test's process, switched between
// accepting, failing with a 4xx or 5xx, refusing the recipient, and stalling (never
// answering the end of a message), so the patient mailer meets what real servers do.
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type SmtpBehaviour = "accept" | "fail-4xx" | "fail-5xx" | "refuse-recipient" | "stall";

export type ReceivedMail = { to: string[]; from: string; parsed: ParsedMail };

export type TestSmtpServer = {
  port: number;
  /** Every message accepted, in order. */
  received: ReceivedMail[];
  /** Messages that reached the end of DATA, whatever the answer (accepted, failed, stalled). */
  dataAttempts(): number;
  behave(behaviour: SmtpBehaviour): void;
  /** The credentials it takes when started with `auth`; wrong ones get 535. */
  close(): Promise<void>;
};

export async function startTestSmtpServer(
  options: { auth?: { user: string; password: string } } = {},
): Promise<TestSmtpServer> {
  let behaviour: SmtpBehaviour = "accept";
  let attempts = 0;
  const received: ReceivedMail[] = [];
  const stalled: Array<() => void> = [];
  const smtpError = (message: string, responseCode: number) =>
    Object.assign(new Error(message), { responseCode });

  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      const good = auth.username === options.auth?.user && auth.password === options.auth?.password;
      if (good) callback(null, { user: auth.username });
      else callback(smtpError("Invalid username or password", 535));
    },
    onRcptTo(address, _session, callback) {
      if (behaviour === "refuse-recipient") {
        callback(smtpError(`No such user here: ${address.address}`, 550));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        attempts++;
        switch (behaviour) {
          case "fail-4xx":
            return callback(smtpError("Mailbox busy, try again later", 451));
          case "fail-5xx":
            return callback(smtpError("Transaction failed", 554));
          case "stall":
            // No answer at all; released (answered) only when the server closes.
            stalled.push(() => callback(smtpError("closing", 421)));
            return;
          default:
            void simpleParser(Buffer.concat(chunks)).then((parsed) => {
              received.push({
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                parsed,
              });
              callback();
            }, callback);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // A client that hangs up mid-conversation is expected here (the stall tests do it).
  server.on("error", () => {});
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    dataAttempts: () => attempts,
    behave(next) {
      behaviour = next;
    },
    async close() {
      for (const release of stalled.splice(0)) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
