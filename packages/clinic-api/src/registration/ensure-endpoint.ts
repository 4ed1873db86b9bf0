import { setTimeout as sleep } from "node:timers/promises";
import type { ClinicDatabase } from "@claimwire/clinic-db";
import { WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
import { isTRPCClientError } from "@claimwire/sdk";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import {
  type EndpointRegistration,
  loadRegistration,
  saveRegistration,
} from "./endpoint-registration.ts";

export const WEBHOOK_PATH = "/webhooks/insurer";

export type EnsureEndpointOptions = {
  db: ClinicDatabase;
  client: Pick<ClinicInsurerApi, "endpoints">;
  /** The clinic's public base URL; the endpoint is `${publicUrl}/webhooks/insurer`. */
  publicUrl: string;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
  /** Delay before the given retry (1, 2, …); 250 ms doubling up to 5 s by default. */
  retryDelayMs?: (attempt: number) => number;
};

const defaultRetryDelay = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 5_000);

/**
 * Makes sure the insurer delivers every claim event to this clinic, retrying until the
 * insurer answers (in dev, both processes start at once). Resolves with the registration
 * the receiver verifies against; rejects only when `signal` aborts.
 */
export async function ensureEndpoint(
  options: EnsureEndpointOptions,
): Promise<EndpointRegistration> {
  const { logger, signal, retryDelayMs = defaultRetryDelay } = options;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await registerOnce(options);
    } catch (error) {
      signal?.throwIfAborted();
      const delay = retryDelayMs(attempt);
      const code = isTRPCClientError(error) ? error.data?.code : undefined;
      const fields = { attempt, retryInMs: delay, code, error: (error as Error).message };
      if (code === "UNAUTHORIZED" || code === "FORBIDDEN") {
        logger.error(
          fields,
          "insurer refused the clinic's API key (check CLINIC_API_KEY); retrying",
        );
      } else {
        logger.warn(fields, "could not register the webhook endpoint yet; retrying");
      }
      // Rejects with the signal's own reason (sleep's AbortError would hide it).
      await sleep(delay, undefined, { signal }).catch(() => signal?.throwIfAborted());
    }
  }
}

async function registerOnce({
  db,
  client,
  publicUrl,
  logger,
  clock,
}: EnsureEndpointOptions): Promise<EndpointRegistration> {
  const url = `${publicUrl}${WEBHOOK_PATH}`;
  const stored = loadRegistration(db);
  const listed = await client.endpoints.list.query();

  const reusable = stored?.url === url && listed.find((e) => e.id === stored.endpointId);
  if (stored && reusable) {
    if (!reusable.enabled) {
      logger.warn({ endpointId: stored.endpointId }, "the insurer has disabled this endpoint");
    }
    logger.info({ endpointId: stored.endpointId, url }, "reusing registered webhook endpoint");
    return stored;
  }

  const created = await client.endpoints.create.mutate({
    url,
    eventTypes: [...WEBHOOK_EVENT_TYPES],
    description: "claimwire clinic inbox",
  });
  const registration = {
    endpointId: created.id,
    secret: created.secret,
    url,
    registeredAt: new Date(clock.now()).toISOString(),
  };
  saveRegistration(db, registration);
  logger.info({ endpointId: created.id, url }, "registered webhook endpoint");

  // Endpoints at our URL whose secret we no longer hold (an earlier registration, or one
  // created just before a crash) would only collect failing deliveries: remove them.
  const orphans = listed.filter((e) => e.id === stored?.endpointId || e.url === url);
  for (const orphan of orphans) {
    try {
      await client.endpoints.delete.mutate({ endpointId: orphan.id });
      logger.info({ endpointId: orphan.id }, "deleted superseded webhook endpoint");
    } catch (error) {
      logger.warn(
        { endpointId: orphan.id, error: (error as Error).message },
        "could not delete superseded endpoint",
      );
    }
  }
  return registration;
}
