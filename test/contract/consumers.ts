import { clinicExpectations } from "@claimwire/clinic/testing/contract";
import type { ConsumerExpectations } from "@claimwire/contracts/compat";
import { sdkExpectations } from "@claimwire/sdk/testing/contract";

/** Every consumer that states its expectations of the insurer. */
export const CONSUMERS: readonly ConsumerExpectations[] = [clinicExpectations, sdkExpectations];
