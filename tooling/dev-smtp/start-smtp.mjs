// The development SMTP catcher that `npm start` runs: it accepts every message the clinic
// sends (any sender, any recipient, any login), keeps each one as an .eml file in the
// git-ignored .dev-data/mail/ at the repository root, and lists them on a page
// (http://127.0.0.1:1080 by default). Nothing is ever passed on to a real mailbox.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

const smtpPort = Number(process.env.DEV_SMTP_PORT ?? "1025");
const webPort = Number(process.env.DEV_SMTP_WEB_PORT ?? "1080");
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const folder = join(root, ".dev-data", "mail");
mkdirSync(folder, { recursive: true });

let count = 0;
const smtp = new SMTPServer({
  secure: false,
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => {
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${++count}.eml`;
      writeFileSync(join(folder, name), Buffer.concat(chunks));
      const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(", ");
      console.log(`caught a message to ${to}: .dev-data/mail/${name}`);
      callback();
    });
  },
});
smtp.on("error", (error) => console.error(`dev SMTP: ${error.message}`));
smtp.listen(smtpPort, "127.0.0.1", () => {
  console.log(`development SMTP catcher on smtp://127.0.0.1:${smtpPort}`);
});

const escapeHtml = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** A header's value, unfolded and with RFC 2047 words (=?UTF-8?B/Q?…?=) decoded. */
function header(raw, name) {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  if (!line) return "";
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind, text) =>
      kind.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9a-f]{2})/gi, (_m, hex) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            "latin1",
          ).toString("utf8"),
    );
}

const web = createServer((request, response) => {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .reverse();
  const wanted = decodeURIComponent((request.url ?? "/").slice(1));
  if (wanted && files.includes(wanted)) {
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    response.end(readFileSync(join(folder, wanted)));
    return;
  }
  if (wanted) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("No such message\n");
    return;
  }
  const rows = files
    .map((file) => {
      const raw = readFileSync(join(folder, file), "utf8");
      const cells = [header(raw, "date"), header(raw, "to"), header(raw, "subject")];
      return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}<td><a href="/${encodeURIComponent(file)}">${escapeHtml(file)}</a></td></tr>`;
    })
    .join("\n");
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Caught e-mail</title>
<meta http-equiv="refresh" content="5"></head><body><h1>E-mail caught in development (${files.length})</h1>
<p>Messages the clinic sent, newest first; the files are in .dev-data/mail/.</p>
<table border="1" cellpadding="4"><thead><tr><th>Date</th><th>To</th><th>Subject</th><th>Message</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`);
});
web.listen(webPort, "127.0.0.1", () => {
  console.log(`caught e-mail listed at http://127.0.0.1:${webPort}`);
});
