export * from "./api.ts";
export * from "./business-days.ts";
export * from "./claim.ts";
export * from "./claim-status.ts";
export * from "./ids.ts";
export * from "./money.ts";
export * from "./webhook-event-examples.ts";
export * from "./webhook-events.ts";
