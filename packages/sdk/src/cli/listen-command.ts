import { isInsurerApiError } from "../insurer-api-error.ts";
import { CliError, usageError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { openClinicSession } from "./clinic-session.ts";
import { deliveryLine } from "./delivery-line.ts";
import { apiFailure } from "./feed-client.ts";
import { followFeed } from "./follow-feed.ts";
import { forwardEvent } from "./forward-event.ts";
import type { ListenOptions } from "./listen-options.ts";
import { listenerReceives } from "./listener-receives.ts";
import { feedHead } from "./read-feed.ts";

/**
 * `claimwire listen`: checks the key, finds where "now" is in the clinic's feed (or starts
 * after `--since`), then forwards every matching event to the local URL, one at a time in
 * commit order, printing a line for each. A receiver that is down gets an error line and
 * the next event all the same; an insurer that goes away is waited for. Runs until
 * `io.signal` aborts.
 */
export async function listenCommand(options: ListenOptions, io: CliIo): Promise<void> {
  const { client, clinicId } = await openClinicSession(options.insurerUrl, options.apiKey);
  let start: string | undefined;
  try {
    if (options.since !== undefined) {
      // Asked once up front, so a cursor the API never issued fails before "Ready".
      await client.events.list
        .query({ after: options.since, limit: 1 }, { signal: io.signal })
        .catch((error: unknown) => {
          if (isInsurerApiError(error) && error.data?.code === "BAD_REQUEST") {
            throw usageError(
              `--since: '${options.since}' is not a cursor of this insurer's event feed`,
            );
          }
          throw error;
        });
      start = options.since;
    } else {
      start = await feedHead(client, io.signal);
    }
  } catch (error) {
    if (io.signal.aborted) return;
    throw error instanceof CliError ? error : apiFailure(error, options.insurerUrl);
  }

  printBanner(options, clinicId, io);
  try {
    const events = followFeed(client, {
      after: start,
      signal: io.signal,
      onOutage: (error) =>
        io.err(
          `${apiFailure(error, options.insurerUrl).message}; retrying from the last event seen`,
        ),
      onResumed: () => io.err("Reconnected to the insurer"),
    });
    for await (const event of events) {
      if (!listenerReceives(options.events, event)) continue;
      const result = await forwardEvent({ url: options.forwardTo, secret: options.secret, event });
      io.out(deliveryLine(event, result, new Date()));
    }
  } catch (error) {
    if (io.signal.aborted) return;
    throw apiFailure(error, options.insurerUrl);
  }
}

function printBanner(options: ListenOptions, clinicId: string, io: CliIo): void {
  io.out(
    `Forwarding ${options.events.join(", ")} events of clinic ${clinicId} from ${options.insurerUrl} to ${options.forwardTo}`,
  );
  io.out(
    options.secretGenerated
      ? `Webhook signing secret: ${options.secret} (verify with it; pass --secret to keep one across runs)`
      : `Webhook signing secret: ${options.secret}`,
  );
  io.out(
    options.since === undefined
      ? "Ready: forwarding events from now on (Ctrl-C to stop)"
      : "Ready: forwarding events after the given cursor (Ctrl-C to stop)",
  );
}
