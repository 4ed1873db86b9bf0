import { parseArgs } from "node:util";
import { EventIdSchema, EventTypeFilterSchema } from "@claimwire/contracts";
import { decodeSecret, generateSecret } from "@claimwire/webhooks";
import { usageError } from "./cli-error.ts";

/** What `claimwire listen` was asked to do, checked. */
export type ListenOptions = {
  apiKey: string;
  /** The insurer's base URL, without `/trpc` and without a trailing slash. */
  insurerUrl: string;
  /** The local receiver every event is POSTed to. */
  forwardTo: string;
  /** Event type filters (`claim.*`, `claim.paid`, `*`), as endpoints subscribe. */
  events: string[];
  /** The `whsec_` secret requests are signed with. */
  secret: string;
  /** Whether `secret` was generated for this run (and so must be printed to be of use). */
  secretGenerated: boolean;
  /** Start after this feed cursor instead of now. */
  since: string | undefined;
  /** Send this one event again and exit. */
  replay: string | undefined;
};

export const DEFAULT_INSURER_URL = "http://127.0.0.1:4000";

export const LISTEN_USAGE = `Usage: claimwire listen --api-key <key> --forward-to <url> [options]

Receives your clinic's webhooks without a public URL: follows the insurer's event feed
with your clinic API key and POSTs each event to a local URL, signed exactly as a real
delivery (Standard Webhooks), so your receiver verifies it with the SDK's verifyWebhook.

Options:
  --api-key <key>       the clinic's API key (or the CLAIMWIRE_API_KEY environment variable)
  --forward-to <url>    the local receiver, e.g. http://localhost:3000/webhooks
  --insurer-url <url>   the insurer (or CLAIMWIRE_INSURER_URL; default ${DEFAULT_INSURER_URL})
  --events <filters>    event types to forward, comma separated, as endpoints subscribe:
                        claim.paid, claim.* (default: every type)
  --secret <whsec_...>  sign with this secret instead of a new one each run
  --since <cursor>      forward events after this feed cursor too (default: only new ones)
  --replay <eventId>    send that one event again, then exit
  -h, --help            show this help`;

/**
 * Reads `claimwire listen`'s arguments (those after `listen`), with the API key and the
 * insurer URL also taken from the environment. Throws a usage error (exit 2) naming the
 * flag at fault; the message never repeats the API key.
 *
 * @example
 * parseListenOptions(["--api-key", key, "--forward-to", "http://localhost:3000/webhooks"], process.env);
 */
export function parseListenOptions(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ListenOptions | "help" {
  const { values } = parseWithClearErrors(args);
  if (values.help) return "help";

  const apiKey = values["api-key"] ?? env.CLAIMWIRE_API_KEY;
  if (!apiKey?.trim()) {
    throw usageError("Missing --api-key (or CLAIMWIRE_API_KEY): the clinic's API key");
  }
  if (!values["forward-to"]) {
    throw usageError("Missing --forward-to: the local URL to forward webhooks to");
  }
  const forwardTo = httpUrl("--forward-to", values["forward-to"]);
  const insurerUrl = httpUrl(
    "--insurer-url",
    values["insurer-url"] ?? env.CLAIMWIRE_INSURER_URL ?? DEFAULT_INSURER_URL,
  ).replace(/\/+$/, "");

  const events = (values.events ?? []).flatMap((value) =>
    value
      .split(",")
      .map((filter) => filter.trim())
      .filter((filter) => filter !== ""),
  );
  for (const filter of events) {
    const checked = EventTypeFilterSchema.safeParse(filter);
    if (!checked.success) {
      throw usageError(`--events: '${filter}': ${checked.error.issues[0]?.message}`);
    }
  }
  if (values.events && events.length === 0) {
    throw usageError("--events: give at least one event type, e.g. 'claim.*'");
  }

  const replay = values.replay;
  if (replay !== undefined) {
    if (!EventIdSchema.safeParse(replay).success) {
      throw usageError(`--replay: '${replay}' is not an event id (evt_…)`);
    }
    if (values.since !== undefined || values.events) {
      throw usageError("--replay sends the one event it names: --since and --events do not apply");
    }
  }
  if (values.since !== undefined && values.since.trim() === "") {
    throw usageError("--since: give a cursor (a nextCursor from the event feed)");
  }

  let secret = values.secret;
  if (secret !== undefined) {
    try {
      if (!secret.startsWith("whsec_")) throw new TypeError("it must start with 'whsec_'");
      decodeSecret(secret);
    } catch (error) {
      throw usageError(`--secret: not a usable webhook secret (${(error as Error).message})`);
    }
  }
  const secretGenerated = secret === undefined;
  secret ??= generateSecret();

  return {
    apiKey: apiKey.trim(),
    insurerUrl,
    forwardTo,
    events: events.length > 0 ? events : ["*"],
    secret,
    secretGenerated,
    since: values.since,
    replay,
  };
}

function parseWithClearErrors(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        "api-key": { type: "string" },
        "insurer-url": { type: "string" },
        "forward-to": { type: "string" },
        events: { type: "string", multiple: true },
        secret: { type: "string" },
        since: { type: "string" },
        replay: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // Node's own wording for these adds advice about `--` that does not help here.
    const quoted = message.match(/'([^']+)'/)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw usageError(`Unknown option '${quoted}' (see claimwire listen --help)`);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      throw usageError(`Unexpected argument '${quoted}' (see claimwire listen --help)`);
    }
    throw usageError(message);
  }
}

function httpUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(
      `${flag}: '${text}' is not a URL (expected e.g. http://localhost:3000/webhooks)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw usageError(`${flag}: '${text}' is not an http(s) URL`);
  }
  return text;
}
