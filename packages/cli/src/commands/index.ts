import type { Command } from '../command.js';

/** A subcommand as `aegis --help` lists it; its module (and what it imports) loads only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every `aegis` subcommand, in the order `aegis --help` lists them. */
export const commands: CommandEntry[] = [
  {
    name: 'init',
    summary: 'set up a registry, its RBAC policy, the pull-request workflow and editor settings here',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'validate',
    summary: 'check every schema file and the references between them',
    load: async () => (await import('./validate.js')).validateCommand,
  },
  {
    name: 'erd',
    summary: 'write the Mermaid ER diagram of the registry or of one schema and its neighbours',
    load: async () => (await import('./erd.js')).erdCommand,
  },
  {
    name: 'docs',
    summary: 'write Markdown documentation of every schema',
    load: async () => (await import('./docs.js')).docsCommand,
  },
  {
    name: 'order',
    summary: 'print the order in which to create the tables (referenced tables first)',
    load: async () => (await import('./order.js')).orderCommand,
  },
  {
    name: 'graph',
    summary: 'print which schemas each schema depends on (its foreign keys), as text or JSON',
    load: async () => (await import('./graph.js')).graphCommand,
  },
  {
    name: 'deps',
    summary: 'list the schemas and owner services that depend on a schema',
    load: async () => (await import('./deps.js')).depsCommand,
  },
  {
    name: 'diff',
    summary: 'compare the registry at two refs: breaking and compatible changes',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  {
    name: 'check',
    summary: 'validate plus breaking changes against --base (what the PR check reports)',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'migrate',
    summary: 'PostgreSQL DDL: create from empty, or change BASE into HEAD',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'migrate apply',
    summary: 'migrate a PostgreSQL database to REF in one transaction, with history and drift checks',
    load: async () => (await import('./migrate-apply.js')).migrateApplyCommand,
  },
  {
    name: 'migrate verify',
    summary: 'prove BASE → HEAD on a throwaway database (catalog equals HEAD create)',
    load: async () => (await import('./migrate-verify.js')).migrateVerifyCommand,
  },
  {
    name: 'migrate status',
    summary: "a database's registry version, pending steps and drift",
    load: async () => (await import('./migrate-status.js')).migrateStatusCommand,
  },
  {
    name: 'can',
    summary: 'ask the RBAC policy whether a user may do something',
    load: async () => (await import('./can.js')).canCommand,
  },
  {
    name: 'audit',
    summary: 'query the audit log (locks, unlocks, refusals, blocking checks)',
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    name: 'events',
    summary: 'the NATS event bus: tail what flows, list parked events, replay one',
    load: async () => (await import('./events.js')).eventsCommand,
  },
  {
    name: 'bot',
    summary: 'serve the Aegis GitHub App (Probot) for webhooks and its HTTP API',
    load: async () => (await import('./bot.js')).botCommand,
  },
];
