export * from "./connection.ts";
export * from "./connection-state.ts";
export * from "./consume.ts";
export * from "./messages.ts";
export * from "./publish.ts";
export * from "./settings.ts";
export * from "./span-attributes.ts";
export * from "./topology.ts";
