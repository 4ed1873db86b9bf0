import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.ts";
import { DEFAULT_INSURER_URL, parseListenOptions } from "./listen-options.ts";

const KEY = "cw_clinic_secret_key_0123456789";
const base = ["--api-key", KEY, "--forward-to", "http://localhost:3000/webhooks"];

/** The usage error `args` give; fails the test when they parse. */
function usageErrorOf(args: string[], env: Record<string, string> = {}): CliError {
  try {
    parseListenOptions(args, env);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).not.toContain(KEY);
    return error as CliError;
  }
  throw new Error(`expected ${args.join(" ")} to be refused`);
}

describe("parseListenOptions", () => {
  it("takes the key and URLs, every event type and a new secret by default", () => {
    const options = parseListenOptions(base, {});
    expect(options).toMatchObject({
      apiKey: KEY,
      insurerUrl: DEFAULT_INSURER_URL,
      forwardTo: "http://localhost:3000/webhooks",
      events: ["*"],
      secretGenerated: true,
      since: undefined,
      replay: undefined,
    });
    if (options === "help") throw new Error("unreachable");
    expect(options.secret).toMatch(/^whsec_/);
    const again = parseListenOptions(base, {});
    expect(again !== "help" && again.secret).not.toBe(options.secret);
  });

  it("reads the key and the insurer URL from the environment, flags first", () => {
    const options = parseListenOptions(["--forward-to", "http://127.0.0.1:3000/hooks"], {
      CLAIMWIRE_API_KEY: KEY,
      CLAIMWIRE_INSURER_URL: "http://insurer.test:4000/",
    });
    expect(options).toMatchObject({ apiKey: KEY, insurerUrl: "http://insurer.test:4000" });
    const flagged = parseListenOptions([...base, "--insurer-url", "https://a.test"], {
      CLAIMWIRE_INSURER_URL: "http://b.test",
    });
    expect(flagged).toMatchObject({ insurerUrl: "https://a.test" });
  });

  it("splits --events on commas and takes the flag more than once", () => {
    const options = parseListenOptions(
      [...base, "--events", "claim.*, endpoint.disabled", "--events", "claim.paid"],
      {},
    );
    expect(options).toMatchObject({ events: ["claim.*", "endpoint.disabled", "claim.paid"] });
  });

  it("keeps a given secret and says it was not generated", () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    expect(parseListenOptions([...base, "--secret", secret], {})).toMatchObject({
      secret,
      secretGenerated: false,
    });
  });

  it("refuses bad input with a message naming the flag", () => {
    expect(usageErrorOf(["--forward-to", "http://localhost:3000"]).message).toMatch(/--api-key/);
    expect(usageErrorOf(["--api-key", KEY]).message).toMatch(/Missing --forward-to/);
    expect(usageErrorOf([...base.slice(0, 2), "--forward-to", "localhost:3000"]).message).toMatch(
      /--forward-to: 'localhost:3000' is not an http\(s\) URL/,
    );
    expect(usageErrorOf([...base.slice(0, 2), "--forward-to", "not a url"]).message).toMatch(
      /--forward-to: 'not a url' is not a URL/,
    );
    expect(usageErrorOf([...base, "--insurer-url", "ftp://x.test"]).message).toMatch(
      /--insurer-url/,
    );
    expect(usageErrorOf([...base, "--events", "claim.aproved"]).message).toBe(
      "--events: 'claim.aproved': 'claim.aproved' matches no event type",
    );
    expect(usageErrorOf([...base, "--events", "claim*"]).message).toMatch(/--events: 'claim\*'/);
    expect(usageErrorOf([...base, "--events", ","]).message).toMatch(/--events/);
    expect(usageErrorOf([...base, "--secret", "hunter2"]).message).toMatch(/--secret/);
    expect(usageErrorOf([...base, "--secret", "whsec_c2hvcnQ="]).message).toMatch(/--secret/);
    expect(usageErrorOf([...base, "--replay", "clm_1"]).message).toMatch(/--replay: 'clm_1'/);
    expect(usageErrorOf([...base, "--since", ""]).message).toMatch(/--since/);
  });

  it("names an unknown flag, and never repeats a key given with it", () => {
    expect(usageErrorOf([...base, "--verbose"]).message).toBe(
      "Unknown option '--verbose' (see claimwire listen --help)",
    );
    expect(usageErrorOf([`--apikey=${KEY}`, "--forward-to", "http://x.test"]).message).toMatch(
      /^Unknown option '--apikey'/,
    );
    expect(usageErrorOf([...base, "extra"]).message).toMatch(/Unexpected argument 'extra'/);
    expect(usageErrorOf(["--api-key"]).message).toMatch(/--api-key/);
  });

  it("refuses --since or --events with --replay: a replay sends the one event named", () => {
    const replay = ["--replay", "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6"];
    expect(parseListenOptions([...base, ...replay], {})).toMatchObject({ replay: replay[1] });
    expect(usageErrorOf([...base, ...replay, "--events", "claim.*"]).message).toMatch(/--replay/);
  });

  it("answers --help", () => {
    expect(parseListenOptions(["--help"], {})).toBe("help");
  });
});
