import { type CliArgs, readCliArgs, UsageError } from "./cli-args.ts";
import {
  createStaffClient,
  describeCallFailure,
  InsurerCallError,
  type StaffClient,
  trpcUrl,
} from "./staff-client.ts";

/**
 * The staff command line: creates clinics and API keys, lists a clinic's endpoints and
 * resends deliveries, through the insurer's typed tRPC API with the staff key, so it
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

type Connection = { client: StaffClient; url: string };

function connect(io: CliIo): Connection {
  const url = trpcUrl(io.env.INSURER_URL || "http://127.0.0.1:4000");
  const staffKey = io.env.INSURER_STAFF_API_KEY;
  if (!staffKey) throw new UsageError("INSURER_STAFF_API_KEY is not set (the insurer staff key)");
  return {
    client: createStaffClient({ url, staffKey, ...(io.fetch ? { fetch: io.fetch } : {}) }),
    url,
  };
}

/** Makes one call, turning a refusal or a network failure into an `InsurerCallError`. */
async function call<T>(io: CliIo, run: (client: StaffClient) => Promise<T>): Promise<T> {
  const { client, url } = connect(io);
  try {
    return await run(client);
  } catch (error) {
    throw describeCallFailure(error, url);
  }
}

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

async function execute(args: CliArgs, io: CliIo): Promise<void> {
  const [group, action] = args.words;
  const command = `${group ?? ""} ${action ?? ""}`.trim();
  const print = (value: unknown, text: () => string[]) => {
    for (const line of args.json ? [JSON.stringify(value, null, 2)] : text()) io.out(line);
  };
  if (args.name !== undefined && command !== "keys create") {
    throw new UsageError(`--name applies to 'keys create' only`);
  }
  switch (command) {
    case "clinics create": {
      const name = argument(args.words, "clinics create <name>", true);
      const created = await call(io, (api) => api.clinics.create.mutate({ name }));
      return print(created, () => [
        `Created clinic ${created.clinic.id} (${created.clinic.name})`,
        `API key (shown once, store it now): ${created.apiKey}`,
      ]);
    }
    case "keys create": {
      const clinicId = argument(args.words, "keys create <clinicId> [--name <n>]");
      const input = { clinicId, ...(args.name === undefined ? {} : { name: args.name }) };
      const created = await call(io, (api) => api.apiKeys.create.mutate(input));
      return print(created, () => [
        `Created API key ${created.id} (prefix ${created.prefix}) for ${clinicId}`,
        `API key (shown once, store it now): ${created.apiKey}`,
      ]);
    }
    case "keys list": {
      const clinicId = argument(args.words, "keys list <clinicId>");
      const keys = await call(io, (api) => api.apiKeys.list.query({ clinicId }));
      return print(keys, () =>
        keys.length === 0
          ? ["No API keys"]
          : table(keys, ["id", "prefix", "name", "createdAt", "lastUsedAt", "revokedAt"]),
      );
    }
    case "keys revoke": {
      const keyId = argument(args.words, "keys revoke <keyId>");
      const key = await call(io, (api) => api.apiKeys.revoke.mutate({ keyId }));
      return print(key, () => [
        `Revoked API key ${key.id} (prefix ${key.prefix}) at ${key.revokedAt}`,
      ]);
    }
    case "endpoints list": {
      const clinicId = argument(args.words, "endpoints list <clinicId>");
      const endpoints = await call(io, (api) => api.endpoints.list.query({ clinicId }));
      return print(endpoints, () =>
        endpoints.length === 0
          ? ["No endpoints"]
          : table(
              endpoints.map((e) => ({ ...e, eventTypes: e.eventTypes.join(",") })),
              ["id", "url", "enabled", "disabledReason", "eventTypes"],
            ),
      );
    }
    case "deliveries resend": {
      const deliveryId = argument(args.words, "deliveries resend <deliveryId>");
      const delivery = await call(io, (api) => api.deliveries.resend.mutate({ deliveryId }));
      return print(delivery, () => [
        `Resending delivery ${delivery.id} (status ${delivery.status})`,
      ]);
    }
    default:
      throw new UsageError(
        command === "" ? "no command given" : `unknown command '${args.words.join(" ")}'`,
      );
  }
}

/** Runs one command; returns the exit code (0 done, 1 the insurer refused or is unreachable, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = readCliArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return 0;
    }
    await execute(args, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err("");
      io.err(USAGE);
      return 2;
    }
    if (error instanceof InsurerCallError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
