import { clinicExpectations } from "@claimwire/clinic/testing/contract";
import { clinicUnderTest } from "@claimwire/clinic/testing/contract-receiver";
import type { ConsumerExpectations, ConsumerUnderTest } from "@claimwire/contracts/compat";
import { sdkExpectations } from "@claimwire/sdk/testing/contract";
import { sdkUnderTest } from "@claimwire/sdk/testing/contract-receiver";

/** Every consumer that states its expectations of the insurer. */
export const CONSUMERS: readonly ConsumerExpectations[] = [clinicExpectations, sdkExpectations];

/** The same consumers' real entry points, fed what the insurer may add (check c). */
export const CONSUMER_ENTRY_POINTS: readonly ConsumerUnderTest[] = [clinicUnderTest, sdkUnderTest];
