/**
 * Who every inbound bus event acts as. NATS authenticates the connection, not the `actor` an event claims, so
 * the bus is one configured identity (like an API token): a name for the audit and role names whose
 * permissions come from the repository's `.kiro/rbac.yaml` (`AEGIS_EVENTS_IDENTITY`, `AEGIS_EVENTS_ROLES`).
 */
export interface BusIdentity {
  name: string;
  roles: string[];
}

/** The documented default: `event-bus` (the actor of the bus's own audit records) with the `indexer` role. */
export const DEFAULT_BUS_IDENTITY: BusIdentity = { name: 'event-bus', roles: ['indexer'] };
