import type { InsurerClient } from "@claimwire/sdk";

type FeedEvent = Awaited<ReturnType<InsurerClient["events"]["list"]["query"]>>["items"][number];
type Delivery = Awaited<ReturnType<InsurerClient["deliveries"]["list"]["query"]>>["items"][number];
type Claim = Awaited<ReturnType<InsurerClient["claims"]["list"]["query"]>>["items"][number];
type DeliveryStatus = NonNullable<
  Parameters<InsurerClient["deliveries"]["list"]["query"]>[0]["status"]
>;

/**
 * Every event of the insurer's feed the caller may see, oldest first, page by page (staff:
 * one clinic's with `clinicId`, or every clinic's; a clinic key: its own).
 */
export async function feedEvents(
  client: InsurerClient,
  { clinicId }: { clinicId?: string } = {},
): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.events.list.query({ after, limit: 500, clinicId });
    events.push(...page.items);
    if (!page.hasMore || page.nextCursor === null) return events;
    after = page.nextCursor;
  }
}

/** Every delivery to one endpoint (only those in `status`, if given), newest first. */
export async function endpointDeliveries(
  client: InsurerClient,
  endpointId: string,
  status?: DeliveryStatus,
): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await client.deliveries.list.query({ endpointId, status, cursor, limit: 100 });
    deliveries.push(...page.items);
    if (page.nextCursor === null) return deliveries;
    cursor = page.nextCursor;
  }
}

/** Every claim of the clinic whose key `clinicClient` holds, newest first. */
export async function clinicClaimsAtInsurer(clinicClient: InsurerClient): Promise<Claim[]> {
  const claims: Claim[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await clinicClient.claims.list.query({ cursor, limit: 100 });
    claims.push(...page.items);
    if (page.nextCursor === null) return claims;
    cursor = page.nextCursor;
  }
}
