// The SDK as an integrator gets it: the `pnpm pack` tarball installed with npm into a
// project outside the workspace, where nothing of ours exists but that tarball. The
// quickstart (examples/quickstart.ts, the program both READMEs show) is typechecked with
// strict settings and run against a running insurer, delivery worker and NATS.
import { type ExecFileOptions, execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { verifyWebhook } from "@claimwire/sdk";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

const execFileAsync = promisify(execFile);
/** Runs a command; a failure shows what it printed (tsc reports errors on stdout). */
async function run(command: string, args: string[], options: ExecFileOptions = {}) {
  try {
    return await execFileAsync(command, args, { ...options, encoding: "utf8" });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, {
      cause: error,
    });
  }
}
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SDK_DIR = join(REPO_ROOT, "packages", "sdk");
const QUICKSTART = join(SDK_DIR, "examples", "quickstart.ts");
const REST_EXAMPLE = join(SDK_DIR, "examples", "rest-client.ts");
const PNPM = existsSync(join(REPO_ROOT, ".tools/node_modules/.bin/pnpm"))
  ? join(REPO_ROOT, ".tools/node_modules/.bin/pnpm")
  : "pnpm";

/** The registry packages a consumer ends up with: ours, its dependencies, and the project's own. */
const CONSUMER_TOOLS = ["typescript@5.9.3", "@types/node@20"];
const EXPECTED_INSTALL = [
  "@claimwire/sdk",
  "@trpc/client",
  "@trpc/server",
  "@types/node",
  "openapi-fetch",
  "openapi-typescript-helpers",
  "typescript",
  "undici-types",
  "zod",
];

/**
 * A strict Node consumer: no DOM lib (fetch's types come from @types/node), Node's ESM
 * resolution, and `skipLibCheck` as `tsc --init` sets it (@trpc/client's own
 * declarations need the DOM lib); ours are checked without it below.
 */
const CONSUMER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    target: "es2022",
    lib: ["es2023"],
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node"],
    skipLibCheck: true,
    outDir: "dist",
  },
  files: ["quickstart.ts", "rest-client.ts"],
};

// pnpm's own variables (npm_config_*, npm_package_*) would configure the consumer's npm.
const cleanEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

let packDir: string;
let consumerDir: string;
let tarball: string;
let packedFiles: string[];
let sys: RunningSystem;
/** The event the quickstart's claim.submitted webhook carried (set by its test). */
let quickstartEventId = "";

beforeAll(async () => {
  await buildIfStale();
  packDir = await mkdtemp(join(tmpdir(), "claimwire-sdk-pack-"));
  consumerDir = await mkdtemp(join(tmpdir(), "claimwire-sdk-consumer-"));
  const { stdout } = await run(PNPM, ["pack", "--json", "--pack-destination", packDir], {
    cwd: SDK_DIR,
    env: cleanEnv(),
  });
  const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] };
  tarball = packed.filename;
  packedFiles = packed.files.map((file) => file.path).sort();

  await writeFile(
    join(consumerDir, "package.json"),
    JSON.stringify({ name: "clinic-integration", private: true, type: "module" }),
  );
  await writeFile(join(consumerDir, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG));
  await copyFile(QUICKSTART, join(consumerDir, "quickstart.ts"));
  await copyFile(REST_EXAMPLE, join(consumerDir, "rest-client.ts"));
  // The install and the system's start are independent; each takes a while.
  const [system, install] = await Promise.allSettled([
    startSystem(),
    run("npm", ["install", "--no-audit", "--no-fund", tarball, ...CONSUMER_TOOLS], {
      cwd: consumerDir,
      env: cleanEnv(),
    }),
  ]);
  if (system.status === "fulfilled") sys = system.value; // stopped in afterAll either way
  for (const step of [system, install]) if (step.status === "rejected") throw step.reason;
}, 240_000);

afterAll(async () => {
  await sys?.stop();
  for (const dir of [packDir, consumerDir]) {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

describe("the packed SDK", () => {
  it("holds the built code, its type declarations, the README and the changelog, and nothing else", () => {
    expect(packedFiles).toEqual([
      "CHANGELOG.md",
      "README.md",
      "dist/cli.js",
      "dist/index.cjs",
      "dist/index.d.cts",
      "dist/index.d.ts",
      "dist/index.js",
      "dist/rest.cjs",
      "dist/rest.d.cts",
      "dist/rest.d.ts",
      "dist/rest.js",
      "package.json",
    ]);
  });

  it("depends on zod, @trpc/client and openapi-fetch by caret ranges, with @trpc/server as a peer, and exports dist", async () => {
    const manifest = JSON.parse(
      await readFile(join(consumerDir, "node_modules/@claimwire/sdk/package.json"), "utf8"),
    );
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      "@trpc/client",
      "openapi-fetch",
      "zod",
    ]);
    expect(Object.keys(manifest.peerDependencies)).toEqual(["@trpc/server"]);
    // Ranges from the versions the workspace tests with, not its protocols or exact pins
    // (.pnpmfile.cjs); no dev dependencies (our unpublished packages among them).
    const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies });
    for (const range of ranges) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.exports["."]).toEqual({
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    });
    expect(manifest.exports["./rest"]).toEqual({
      import: { types: "./dist/rest.d.ts", default: "./dist/rest.js" },
      require: { types: "./dist/rest.d.cts", default: "./dist/rest.cjs" },
    });
  });

  it("installs from the registry with nothing of ours but itself", async () => {
    expect(await installedPackages(join(consumerDir, "node_modules"))).toEqual(EXPECTED_INSTALL);
  });

  it("imports only zod, @trpc and node: built-ins, in its code and its types", async () => {
    const dist = join(consumerDir, "node_modules/@claimwire/sdk/dist");
    const imported = async (file: string) => {
      const text = await readFile(join(dist, file), "utf8");
      // TypeScript's scanner: import/export … from and require(), not words in comments.
      const { importedFiles } = ts.preProcessFile(text, true, true);
      return [...new Set(importedFiles.map((imported) => imported.fileName))].sort();
    };
    const runtime = ["@trpc/client", "node:crypto", "zod"];
    expect(await imported("index.js")).toEqual(runtime);
    expect(await imported("index.cjs")).toEqual(runtime);
    const types = ["@trpc/client", "@trpc/server", "zod"];
    expect(await imported("index.d.ts")).toEqual(types);
    expect(await imported("index.d.cts")).toEqual(types);
    // The `claimwire` bin: the same runtime dependencies, and Node's HTTP and arguments.
    expect(await imported("cli.js")).toEqual([
      "@trpc/client",
      "node:crypto",
      "node:http",
      "node:https",
      "node:util",
      "zod",
    ]);

    for (const file of ["rest.js", "rest.cjs", "rest.d.ts", "rest.d.cts"]) {
      expect(await imported(file), file).toEqual(["openapi-fetch"]);
    }
  });

  it("has declarations without errors under the consumer's strict settings", () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(consumerDir, "tsconfig.json"),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error("unreadable consumer tsconfig");
    const program = ts.createProgram({
      rootNames: config.fileNames,
      options: { ...config.options, skipLibCheck: false, noEmit: true },
    });
    const sdkFiles = program
      .getSourceFiles()
      .filter((file) => file.fileName.includes("/@claimwire/sdk/"));
    expect(sdkFiles.map((file) => file.fileName).sort()).toEqual([
      expect.stringMatching(/\/dist\/index\.d\.ts$/),
      expect.stringMatching(/\/dist\/rest\.d\.ts$/),
    ]);
    // Only our file is checked: the libraries' own declarations are theirs.
    const ours = sdkFiles
      .flatMap((file) => [
        ...program.getSyntacticDiagnostics(file),
        ...program.getSemanticDiagnostics(file),
      ])
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(ours).toEqual([]);
  });

  it.each([
    ["index.d.ts", ["createInsurerClient", "verifyRawBody", "InsurerApiError"]],
    ["rest.d.ts", ["createRestClient", "RestClient", "RestError", "paths", "components"]],
  ])("documents every export of dist/%s with an @example", (file, expected) => {
    const entry = join(consumerDir, "node_modules/@claimwire/sdk/dist", file);
    const program = ts.createProgram([entry], { strict: true, types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`no module symbol for ${entry}`);
    const exports = checker.getExportsOfModule(moduleSymbol);
    expect(exports.map((symbol) => symbol.name)).toEqual(expect.arrayContaining(expected));
    const undocumented = exports
      .filter((exported) => {
        const symbol =
          exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const hasText = ts.displayPartsToString(symbol.getDocumentationComment(checker)) !== "";
        const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
        return !(hasText && hasExample);
      })
      .map((symbol) => symbol.name);
    expect(undocumented).toEqual([]);
  });

  it.each([
    ["@claimwire/sdk", ["createInsurerClient", "verifyFetchRequest", "verifyRawBody"]],
    ["@claimwire/sdk/rest", ["createRestClient"]],
  ])("gives import and require the same exports of %s", async (specifier, expected) => {
    const names = async (load: string) => {
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", load], {
        cwd: consumerDir,
      });
      return stdout.trim();
    };
    const viaImport = await names(
      `const sdk = await import("${specifier}"); console.log(Object.keys(sdk).sort().join());`,
    );
    const viaRequire = await names(
      `import { createRequire } from "node:module";
       const sdk = createRequire(import.meta.url + "/")("${specifier}");
       console.log(Object.keys(sdk).sort().join());`,
    );
    expect(viaImport.split(",")).toEqual(expect.arrayContaining(expected));
    expect(viaRequire).toBe(viaImport);
  });

  it("throws one WebhookVerificationError class for signature and event rejections", async () => {
    // The bundle defines the class once (the signature check's), so a rejection from the
    // bundled signature check (missing headers) and one from the SDK's event check (a
    // validly signed body that is not JSON) are both caught by the exported class, under
    // import and under require.
    const dist = join(consumerDir, "node_modules/@claimwire/sdk/dist");
    for (const file of ["index.js", "index.cjs"]) {
      const code = await readFile(join(dist, file), "utf8");
      expect(code.match(/name = "WebhookVerificationError"/g), file).toHaveLength(1);
    }
    const program = (load: string) => `${load}
      const { createHmac } = require("node:crypto");
      const secret = "whsec_" + Buffer.alloc(32, 7).toString("base64");
      const id = "evt_1";
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac("sha256", Buffer.alloc(32, 7))
        .update(\`\${id}.\${timestamp}.not json\`)
        .digest("base64");
      const signed = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": "v1," + signature };
      const caught = (run) => {
        try { run(); } catch (error) {
          return error instanceof sdk.WebhookVerificationError ? error.reason : "other: " + error;
        }
        return "accepted";
      };
      console.log([
        caught(() => sdk.verifyWebhook({ body: "{}", headers: {}, secret })),
        caught(() => sdk.verifyWebhook({ body: "not json", headers: signed, secret })),
      ].join());`;
    const outcomes = async (load: string) => {
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", program(load)], {
        cwd: consumerDir,
      });
      return stdout.trim();
    };
    const require = `import { createRequire } from "node:module";
      const require = createRequire(import.meta.url + "/");`;
    expect(await outcomes(`${require} const sdk = await import("@claimwire/sdk");`)).toBe(
      "missing_headers,invalid_json",
    );
    expect(await outcomes(`${require} const sdk = require("@claimwire/sdk");`)).toBe(
      "missing_headers,invalid_json",
    );
  });

  it("runs the quickstart: creates an endpoint, submits a claim, verifies its webhook", async () => {
    await compileConsumer();

    const { stdout } = await run(process.execPath, ["dist/quickstart.js"], {
      cwd: consumerDir,
      env: { ...cleanEnv(), INSURER_URL: sys.insurerUrl, CLINIC_API_KEY: sys.clinicApiKey },
      timeout: 90_000,
    });
    const submitted = stdout.match(/^submitted (clm_\w+): submitted, 12500 EUR$/m);
    const verified = stdout.match(
      /^verified claim\.submitted for (clm_\w+) \(webhook (evt_\w+)\)$/m,
    );
    expect(submitted, stdout).not.toBeNull();
    expect(verified, stdout).not.toBeNull();
    expect(verified?.[1]).toBe(submitted?.[1]);

    // The insurer agrees: the claim is this clinic's, and the quickstart removed its
    // endpoint (what is left is the clinic app's own).
    const claim = await sys.clinicClient.claims.byId.query({ claimId: submitted?.[1] ?? "" });
    expect(claim.clinicReference).toMatch(/^QUICKSTART-/);
    const endpoints = await sys.clinicClient.endpoints.list.query();
    expect(endpoints.filter((endpoint) => !endpoint.url.startsWith(sys.clinicUrl))).toEqual([]);
    quickstartEventId = verified?.[2] ?? "";
  }, 150_000);

  it("installs the claimwire bin, whose --replay sends the quickstart's event to a local URL", async () => {
    // The whole of `listen` is tested in test/e2e/listen.test.ts; this is the packed bin.
    const secret = `whsec_${Buffer.alloc(32, 3).toString("base64")}`;
    const received: { id: string; type: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const verified = verifyWebhook({
          body: Buffer.concat(chunks),
          headers: req.headers,
          secret,
        });
        received.push({
          id: verified.id,
          type: verified.known ? verified.event.type : verified.type,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = receiver.address() as AddressInfo;
      const { stdout } = await run(
        join(consumerDir, "node_modules/.bin/claimwire"),
        [
          "listen",
          "--forward-to",
          `http://127.0.0.1:${port}/webhooks`,
          "--replay",
          quickstartEventId,
          "--secret",
          secret,
        ],
        {
          cwd: consumerDir,
          env: {
            ...cleanEnv(),
            CLAIMWIRE_API_KEY: sys.clinicApiKey,
            CLAIMWIRE_INSURER_URL: sys.insurerUrl,
          },
        },
      );
      expect(stdout).toMatch(new RegExp(`claim\\.submitted\\s+${quickstartEventId}\\s+204`));
      expect(received).toEqual([{ id: quickstartEventId, type: "claim.submitted" }]);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 60_000);

  it("runs the REST example: submits a claim and reads it back over /api/v1", async () => {
    await compileConsumer();
    const { stdout } = await run(process.execPath, ["dist/rest-client.js"], {
      cwd: consumerDir,
      env: { ...cleanEnv(), INSURER_URL: sys.insurerUrl, CLINIC_API_KEY: sys.clinicApiKey },
      timeout: 60_000,
    });
    const id = stdout.match(/^submitted (clm_\w+): submitted$/m)?.[1];
    expect(id, stdout).toBeDefined();
    expect(stdout).toContain(`read ${id}: submitted`);
    const claim = await sys.clinicClient.claims.byId.query({ claimId: id ?? "" });
    expect(claim.clinicReference).toMatch(/^REST-/);
  }, 90_000);

  it("is the program both READMEs show", async () => {
    const program = (await readFile(QUICKSTART, "utf8")).trim();
    for (const readme of [join(SDK_DIR, "README.md"), join(REPO_ROOT, "README.md")]) {
      const text = await readFile(readme, "utf8");
      const section = text.slice(text.indexOf("## Using the SDK"));
      const block = section.match(/```ts\n([\s\S]*?)```/)?.[1]?.trim();
      expect(block, readme).toBe(program);
    }
  });
});

/** The consumer's tsc run, once: it compiles the quickstart and the REST example. */
let compiled: Promise<unknown> | undefined;
function compileConsumer() {
  compiled ??= run(join(consumerDir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: consumerDir });
  return compiled;
}

/** Every package under node_modules (scoped ones as `@scope/name`), sorted. */
async function installedPackages(nodeModules: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(nodeModules)) {
    if (entry.startsWith(".")) continue;
    if (!entry.startsWith("@")) {
      names.push(entry);
      continue;
    }
    for (const scoped of await readdir(join(nodeModules, entry))) names.push(`${entry}/${scoped}`);
  }
  return names.sort();
}

/**
 * turbo runs `build` before this package's `test` (turbo.json); run alone, the test
 * builds when dist/ is missing or older than any of its sources.
 */
async function buildIfStale(): Promise<void> {
  const inputs = [
    join(SDK_DIR, "src"),
    join(SDK_DIR, "package.json"),
    join(SDK_DIR, "tsup.config.ts"),
    join(REPO_ROOT, "contracts/src"),
    join(REPO_ROOT, "packages/webhooks/src"),
    join(REPO_ROOT, "packages/insurer-api/src/routers"),
  ];
  const newestInput = Math.max(...(await Promise.all(inputs.map(newestMtime))));
  const outputs = [
    ...["index", "rest"].flatMap((entry) =>
      ["js", "cjs", "d.ts", "d.cts"].map((extension) => `${entry}.${extension}`),
    ),
    "cli.js",
  ];
  const built = await Promise.all(
    outputs.map((file) =>
      stat(join(SDK_DIR, "dist", file)).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  if (Math.min(...built) > newestInput) return;
  await run(join(SDK_DIR, "node_modules/.bin/tsup"), [], { cwd: SDK_DIR });
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}
