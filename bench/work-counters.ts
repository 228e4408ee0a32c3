import type { SwitchboardSystem } from '@switchboard/testing';

export interface WorkCount {
  /** Write transactions (each takes a transaction id): exact, unlike the lagging statistics views. */
  pgWriteTransactions: number;
  pgTransactions: number;
  redisCommands: number;
  redisByCommand: Map<string, number>;
}

async function snapshot(system: SwitchboardSystem): Promise<WorkCount> {
  const [pg] = await system.sql<{ xacts: string; xid: string }>(
    'select xact_commit + xact_rollback as xacts, txid_current() as xid from pg_stat_database where datname = current_database()',
  );
  const stats = await system.redis.info('commandstats');
  const redisByCommand = new Map<string, number>();
  for (const [, name, calls] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) redisByCommand.set(name as string, Number(calls));
  return {
    pgWriteTransactions: Number(pg?.xid ?? 0),
    pgTransactions: Number(pg?.xacts ?? 0),
    redisCommands: [...redisByCommand.values()].reduce((a, b) => a + b, 0),
    redisByCommand,
  };
}

/**
 * PostgreSQL transactions (all transactions come from statistics an idle backend publishes up to
 * 10 s late: approximate; write transactions are exact) and Redis commands a phase cost (whole server counters: the bench is
 * assumed alone on them). Divided by the sends of the phase, they say how chatty each send is.
 */
export class WorkCounters {
  private start: WorkCount | null = null;

  constructor(private readonly system: SwitchboardSystem) {}

  async begin(): Promise<void> {
    this.start = await snapshot(this.system);
  }

  async end(): Promise<WorkCount> {
    const start = this.start;
    if (!start) throw new Error('WorkCounters.end() without begin()');
    const end = await snapshot(this.system);
    const byCommand = new Map<string, number>();
    for (const [name, calls] of end.redisByCommand) {
      const delta = calls - (start.redisByCommand.get(name) ?? 0);
      if (delta > 0) byCommand.set(name, delta);
    }
    return {
      // Less the one transaction id the snapshot itself takes.
      pgWriteTransactions: end.pgWriteTransactions - start.pgWriteTransactions - 1,
      pgTransactions: end.pgTransactions - start.pgTransactions,
      redisCommands: end.redisCommands - start.redisCommands,
      redisByCommand: byCommand,
    };
  }
}
