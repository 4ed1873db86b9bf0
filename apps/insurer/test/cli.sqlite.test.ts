import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  failUntilDeadLetter,
  STAFF_KEY,
  startTestInsurer,
  submitAndDispatch,
  type TestInsurer,
} from "@claimwire/insurer-api/testing";
import { resolvePrincipal } from "@claimwire/insurer-domain";
import { freePort } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const insurerDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

let h: TestInsurer;
beforeAll(async () => {
  h = await startTestInsurer({ start: true });
});
afterAll(async () => {
  await h?.stop();
});

type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI as a process (`tsx src/cli/main.ts …`, what `pnpm cli` runs). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ["src/cli/main.ts", ...args],
      {
        cwd: insurerDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          INSURER_URL: h.url,
          INSURER_STAFF_API_KEY: STAFF_KEY,
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// Each call starts a process that compiles the CLI with tsx: a second or two alone, many
// more beside the rest of `npm test` on two cores, hence the long timeout.
describe("the staff CLI", { timeout: 120_000 }, () => {
  it("creates a clinic and a key, lists and revokes keys, never printing a key twice", async () => {
    const created = await cli(["clinics", "create", "Clinic", "of", "Tests"]);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const clinicId = created.stdout.match(/Created clinic (cln_\w+) \(Clinic of Tests\)/)?.[1];
    const firstKey = created.stdout.match(/shown once.*: (cw_\S+)/)?.[1];
    expect(clinicId).toBeDefined();
    expect(await resolvePrincipal(h.insurer.services, firstKey)).toEqual({
      role: "clinic",
      clinicId,
    });

    const key = await cli(["keys", "create", clinicId!, "--name", "billing", "--json"]);
    expect(key.code).toBe(0);
    const second = JSON.parse(key.stdout) as { id: string; prefix: string; apiKey: string };
    expect(await resolvePrincipal(h.insurer.services, second.apiKey)).toMatchObject({ clinicId });

    const listed = await cli(["keys", "list", clinicId!]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(second.id);
    expect(listed.stdout).toContain(second.prefix);
    expect(listed.stdout).toContain("billing");
    expect(listed.stdout).not.toContain(second.apiKey);
    expect(listed.stdout).not.toContain(firstKey);

    const revoked = await cli(["keys", "revoke", second.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${second.id}`);
    expect(await resolvePrincipal(h.insurer.services, second.apiKey)).toBeNull();
    expect(revoked.stdout + revoked.stderr).not.toContain(second.apiKey);
  });

  it("lists a clinic's endpoints and resends a delivery", async () => {
    const clinic = await h.newClinic("CLI Endpoints");
    const endpoint = await clinic.caller.endpoints.create({
      url: "https://clinic.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    const listed = await cli(["endpoints", "list", clinic.clinicId]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(endpoint.id);
    expect(listed.stdout).toContain("https://clinic.example/hooks");
    expect(listed.stdout).not.toContain("whsec_");

    const [task] = await submitAndDispatch(h, clinic.caller);
    failUntilDeadLetter(h, task!);
    const resent = await cli(["deliveries", "resend", task!.deliveryId]);
    expect(resent).toMatchObject({ code: 0, stderr: "" });
    expect(resent.stdout).toContain(`Resending delivery ${task!.deliveryId} (status sending)`);
  });

  it("exits 1 naming what the insurer refused", async () => {
    const missing = "cln_01JDQ6Y0000000000000000000";
    const run = await cli(["keys", "list", missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`NOT_FOUND: No clinic with id '${missing}'`);

    const badKey = await cli(["keys", "list", missing], { INSURER_STAFF_API_KEY: "cw_wrong" });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain("UNAUTHORIZED");

    const port = await freePort(); // nothing listens there
    const unreachable = await cli(["keys", "list", missing], {
      INSURER_URL: `http://127.0.0.1:${port}/trpc`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(
      `cannot reach the insurer at http://127.0.0.1:${port}/trpc: connect ECONNREFUSED`,
    );

    // A clinic's key is refused for staff-only procedures, by the insurer, not the CLI.
    const clinic = await h.newClinic("CLI Wrong Role");
    const wrongRole = await cli(["clinics", "create", "Another"], {
      INSURER_STAFF_API_KEY: clinic.apiKey,
    });
    expect(wrongRole.code).toBe(1);
    expect(wrongRole.stderr).toContain("FORBIDDEN: This procedure needs the insurer staff key");
  });

  it("exits 2 with the usage on a usage error, naming it", async () => {
    const cases: [string[], string][] = [
      [[], "no command given"],
      [["keys", "frobnicate"], "unknown command 'keys frobnicate'"],
      [["keys", "create"], "missing argument: keys create <clinicId>"],
      [["keys", "revoke", "a", "b"], "too many arguments: keys revoke <keyId>"],
      [["keys", "list", "x", "--verbose"], "unknown option '--verbose'"],
      [["keys", "create", "cln_1", "--name"], "--name needs a value"],
      [["keys", "create", "cln_1", "--name", "--json"], "--name needs a value"],
      [["keys", "list", "x", "--json=yes"], "--json takes no value"],
      [["keys", "list", "x", "--name", "n"], "--name applies to 'keys create' only"],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const run = runs[i]!;
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(`error: ${message}`);
      expect(run.stderr).toContain("Usage: pnpm --filter @claimwire/insurer cli");
    }
    const noKey = await cli(["keys", "list", "x"], { INSURER_STAFF_API_KEY: undefined });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("INSURER_STAFF_API_KEY is not set");

    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("clinics create <name>");
  });
});
