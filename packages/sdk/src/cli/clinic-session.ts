import type { InsurerClient } from "../insurer-client.ts";
import { CliError } from "./cli-error.ts";
import { apiFailure, createFeedClient } from "./feed-client.ts";

/** The insurer API with a key the insurer accepted as a clinic's. */
export type ClinicSession = { client: InsurerClient; clinicId: string };

/**
 * Asks the insurer whose key this is (`me`) before doing anything: a refused key, an
 * insurer that cannot be reached, or a staff key (whose feed is every clinic's) each end
 * the command with a message that says so, without the key.
 */
export async function openClinicSession(
  insurerUrl: string,
  apiKey: string,
): Promise<ClinicSession> {
  const client = createFeedClient(insurerUrl, apiKey);
  let me: Awaited<ReturnType<InsurerClient["me"]["query"]>>;
  try {
    me = await client.me.query();
  } catch (error) {
    throw apiFailure(error, insurerUrl);
  }
  if (me.role !== "clinic") {
    throw new CliError(
      "claimwire listen needs a clinic API key: the insurer took this one as an insurer staff key",
    );
  }
  return { client, clinicId: me.clinicId };
}
