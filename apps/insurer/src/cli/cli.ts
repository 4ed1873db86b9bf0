/**
 * The staff command line: creates clinics and API keys, lists a clinic's endpoints and
 * resends deliveries, over the insurer's REST API (`/api/v1`) with the staff key, so it
 * works against a remote insurer too. `main.ts` runs it; tests call `runCli` or the process.
 */

export const USAGE = `Usage: pnpm --filter @claimwire/insurer cli <command> [--json]

Commands:
  clinics create <name>               create a clinic; prints its first API key (shown once)
  keys create <clinicId> [--name <n>] create another API key for a clinic (shown once)
  keys list <clinicId>                list a clinic's API keys (prefix only, never the key)
  keys revoke <keyId>                 revoke an API key at once
  endpoints list <clinicId>           list a clinic's webhook endpoints
  deliveries resend <deliveryId>      send a delivery again now

Options:
  --json        print the API's JSON answer instead of text
  -h, --help    print this help

Environment:
  INSURER_URL             the insurer (default http://127.0.0.1:4000; a trailing /trpc is ignored)
  INSURER_STAFF_API_KEY   the insurer staff key (required)

Exit codes: 0 done, 1 the insurer refused or could not be reached, 2 usage error.`;

export type CliIo = {
  env: Readonly<Record<string, string | undefined>>;
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof fetch;
};

class UsageError extends Error {}

class ApiError extends Error {}

type Parsed = { words: string[]; json: boolean; name: string | undefined; help: boolean };

function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = { words: [], json: false, name: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") parsed.json = true;
    else if (arg === "-h" || arg === "--help") parsed.help = true;
    else if (arg === "--name") {
      const value = argv[++i];
      if (value === undefined || value === "") throw new UsageError("--name needs a value");
      parsed.name = value;
    } else if (arg.startsWith("--name=")) parsed.name = arg.slice("--name=".length);
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option '${arg}'`);
    else parsed.words.push(arg);
  }
  return parsed;
}

/** `http://host:4000/trpc` or `http://host:4000` → `http://host:4000/api/v1`. */
export function restBase(insurerUrl: string): string {
  let url: URL;
  try {
    url = new URL(insurerUrl);
  } catch {
    throw new UsageError(`INSURER_URL is not a URL: '${insurerUrl}'`);
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/trpc$/, "");
  return `${url.origin}${path}/api/v1`;
}

type Api = (method: "GET" | "POST", path: string, body?: unknown) => Promise<unknown>;

function makeApi(io: CliIo): Api {
  const base = restBase(io.env.INSURER_URL || "http://127.0.0.1:4000");
  const key = io.env.INSURER_STAFF_API_KEY;
  if (!key) throw new UsageError("INSURER_STAFF_API_KEY is not set (the insurer staff key)");
  const doFetch = io.fetch ?? fetch;
  return async (method, path, body) => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(
        `cannot reach the insurer at ${base}: ${cause ?? (error as Error).message}`,
      );
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const e = parsed as { code?: string; message?: string } | undefined;
      throw new ApiError(
        e?.message
          ? `${e.code ?? res.status}: ${e.message}`
          : `HTTP ${res.status} from ${method} ${base}${path}`,
      );
    }
    return parsed;
  };
}

const seg = encodeURIComponent;

function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string[] {
  const cell = (v: unknown) => (v === null || v === undefined ? "-" : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line([...columns]), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))];
}

/** The command's arguments: exactly one, or (`rest`) one or more joined by spaces. */
function argument(words: readonly string[], usage: string, rest = false): string {
  const args = words.slice(2);
  if (args.length === 0 || args.some((a) => a.trim() === "")) {
    throw new UsageError(`missing argument: ${usage}`);
  }
  if (args.length > 1 && !rest) throw new UsageError(`too many arguments: ${usage}`);
  return args.join(" ");
}

async function execute(parsed: Parsed, io: CliIo): Promise<void> {
  const [group, action] = parsed.words;
  const command = `${group ?? ""} ${action ?? ""}`.trim();
  const print = (value: unknown, text: () => string[]) => {
    for (const line of parsed.json ? [JSON.stringify(value, null, 2)] : text()) io.out(line);
  };
  if (parsed.name !== undefined && command !== "keys create") {
    throw new UsageError(`--name applies to 'keys create' only`);
  }
  switch (command) {
    case "clinics create": {
      const name = argument(parsed.words, "clinics create <name>", true);
      const api = makeApi(io);
      const created = (await api("POST", "/clinics", { name })) as {
        clinic: { id: string; name: string };
        apiKey: string;
      };
      return print(created, () => [
        `Created clinic ${created.clinic.id} (${created.clinic.name})`,
        `API key (shown once, store it now): ${created.apiKey}`,
      ]);
    }
    case "keys create": {
      const clinicId = argument(parsed.words, "keys create <clinicId> [--name <n>]");
      const api = makeApi(io);
      const created = (await api("POST", "/api-keys", {
        clinicId,
        ...(parsed.name === undefined ? {} : { name: parsed.name }),
      })) as { id: string; prefix: string; apiKey: string };
      return print(created, () => [
        `Created API key ${created.id} (prefix ${created.prefix}) for ${clinicId}`,
        `API key (shown once, store it now): ${created.apiKey}`,
      ]);
    }
    case "keys list": {
      const clinicId = argument(parsed.words, "keys list <clinicId>");
      const keys = (await makeApi(io)("GET", `/api-keys?clinicId=${seg(clinicId)}`)) as Record<
        string,
        unknown
      >[];
      return print(keys, () =>
        keys.length === 0
          ? ["No API keys"]
          : table(keys, ["id", "prefix", "name", "createdAt", "lastUsedAt", "revokedAt"]),
      );
    }
    case "keys revoke": {
      const keyId = argument(parsed.words, "keys revoke <keyId>");
      const key = (await makeApi(io)("POST", `/api-keys/${seg(keyId)}/revoke`)) as {
        id: string;
        prefix: string;
        revokedAt: string;
      };
      return print(key, () => [
        `Revoked API key ${key.id} (prefix ${key.prefix}) at ${key.revokedAt}`,
      ]);
    }
    case "endpoints list": {
      const clinicId = argument(parsed.words, "endpoints list <clinicId>");
      const endpoints = (await makeApi(io)(
        "GET",
        `/endpoints?clinicId=${seg(clinicId)}`,
      )) as Record<string, unknown>[];
      return print(endpoints, () =>
        endpoints.length === 0
          ? ["No endpoints"]
          : table(
              endpoints.map((e) => ({
                ...e,
                eventTypes: Array.isArray(e.eventTypes) ? e.eventTypes.join(",") : e.eventTypes,
              })),
              ["id", "url", "enabled", "disabledReason", "eventTypes"],
            ),
      );
    }
    case "deliveries resend": {
      const deliveryId = argument(parsed.words, "deliveries resend <deliveryId>");
      const delivery = (await makeApi(io)("POST", `/deliveries/${seg(deliveryId)}/resend`)) as {
        id: string;
        status: string;
      };
      return print(delivery, () => [
        `Resending delivery ${delivery.id} (status ${delivery.status})`,
      ]);
    }
    default:
      throw new UsageError(
        command === "" ? "no command given" : `unknown command '${parsed.words.join(" ")}'`,
      );
  }
}

/** Runs one command; returns the exit code (0 done, 1 API error, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed.help) {
      io.out(USAGE);
      return 0;
    }
    await execute(parsed, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err("");
      io.err(USAGE);
      return 2;
    }
    if (error instanceof ApiError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
