export { type ConsumerState, readConsumerStates } from "./consumer-states.ts";
export * from "./nats-cluster.ts";
export * from "./nats-server.ts";
export * from "./stream-group.ts";
export * from "./test-network.ts";
