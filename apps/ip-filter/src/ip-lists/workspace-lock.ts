import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/**
 * Serialises everything that writes one workspace's lists, across replicas: a PostgreSQL session
 * advisory lock held around the transaction that also queues the KV record (the outbox then
 * publishes a key's records in commit order, never an older one last).
 */
@Injectable()
export class WorkspaceLock {
  /** Keys are (schema, workspace): test runs and deployments sharing a server do not meet. */
  private readonly namespace: string;

  constructor(private readonly dataSource: DataSource) {
    this.namespace = (dataSource.options as { schema?: string }).schema ?? 'ip_filter';
  }

  async run<T>(workspaceId: string, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const key = [this.namespace, workspaceId];
    try {
      await runner.connect();
      await runner.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', key);
      try {
        return await work(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', key);
      }
    } finally {
      await runner.release();
    }
  }
}
