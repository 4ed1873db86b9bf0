import { clinicExpectations } from "../../apps/clinic/test/contract/expectations.ts";
import type { ConsumerExpectations } from "../../contracts/src/compat/consumer-contract.ts";
import { sdkExpectations } from "../../packages/sdk/test/contract/expectations.ts";

/** Every consumer that states its expectations of the insurer (issue 6, item 2). */
export const CONSUMERS: readonly ConsumerExpectations[] = [clinicExpectations, sdkExpectations];
