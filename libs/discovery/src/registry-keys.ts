/**
 * Redis layout of the registry (all under the client's keyPrefix):
 * - `discovery:{service}:instance:{id}`: the instance's JSON record with a
 *   PX TTL, refreshed by every heartbeat; Redis expiring it IS the failure
 *   detection, on Redis's clock, so client clocks never matter;
 * - `discovery:{service}:instances`: a set of the ids, the index a watcher
 *   reads (members whose record expired are removed by the next reader);
 * - channel `<keyPrefix>discovery:changes`: the service name is published on
 *   every register, health change and deregister, so watchers refresh at once
 *   instead of at their next poll. Expiry is only seen by polling.
 * The `{service}` hash tag keeps a service's keys in one Redis Cluster slot.
 */
export const registryKeys = {
  instance: (service: string, instanceId: string) => `discovery:{${service}}:instance:${instanceId}`,
  index: (service: string) => `discovery:{${service}}:instances`,
  changesChannel: (keyPrefix = '') => `${keyPrefix}discovery:changes`,
};
