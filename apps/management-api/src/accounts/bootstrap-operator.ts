import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeLog } from '../change-log/change-log.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import { AdminsService } from './admins.service.js';

/**
 * Creates the first operator from BOOTSTRAP_ADMIN_EMAIL / _PASSWORD when no account has that
 * email. Idempotent across replicas (one transaction under an advisory lock); an existing
 * account is left alone, so a changed password is never reset. The password is never logged.
 */
@Injectable()
export class BootstrapOperator implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapOperator.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly admins: AdminsService,
    private readonly changes: ChangeLog,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const account = this.config.bootstrapAdmin;
    if (!account) return;
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        'management:bootstrap-operator',
      ]);
      if (await this.admins.findByEmail(account.email, manager)) return undefined;
      return this.admins.create({ ...account, operator: true }, manager);
    });
    if (!created) return;
    this.logger.log({ msg: 'bootstrap operator created', email: created.email });
    this.changes.recordSystem({
      workspaceId: null,
      action: 'admin.created',
      target: created.id,
      after: this.admins.view(created),
    });
  }
}
