import { CliError } from "./cli-error.ts";
import type { CliIo } from "./cli-io.ts";
import { openClinicSession } from "./clinic-session.ts";
import { deliveryLine } from "./delivery-line.ts";
import { apiFailure } from "./feed-client.ts";
import { forwardEvent } from "./forward-event.ts";
import type { ListenOptions } from "./listen-options.ts";
import { findEvent } from "./read-feed.ts";

/**
 * `claimwire listen --replay <eventId>`: finds that event in the clinic's feed, sends it
 * to the local URL once more (signed now, same `webhook-id` and body), prints its line,
 * and fails when the event is not in the feed or the receiver could not be reached.
 */
export async function replayCommand(
  options: ListenOptions & { replay: string },
  io: CliIo,
): Promise<void> {
  const { client } = await openClinicSession(options.insurerUrl, options.apiKey);
  let event: Awaited<ReturnType<typeof findEvent>>;
  try {
    event = await findEvent(client, options.replay, io.signal);
  } catch (error) {
    throw apiFailure(error, options.insurerUrl);
  }
  if (!event) {
    throw new CliError(
      `No event '${options.replay}' in this clinic's feed (the feed keeps events for the insurer's retention window)`,
    );
  }
  if (options.secretGenerated) io.out(`Webhook signing secret: ${options.secret}`);
  const result = await forwardEvent({ url: options.forwardTo, secret: options.secret, event });
  io.out(deliveryLine(event, result, new Date()));
  if (!result.ok) throw new CliError(`Could not deliver to ${options.forwardTo}: ${result.error}`);
}
