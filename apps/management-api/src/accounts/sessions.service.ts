import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import type { Principal } from '../access/principal.js';
import { AdminEntity } from './admin.entity.js';
import { SessionEntity } from './session.entity.js';
import { newToken, tokenHash } from './token-hash.js';

/** last_seen_at is written at most this often, not on every request. */
const TOUCH_AFTER_MS = 60_000;

interface SessionRow {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: Date;
  adminId: string;
  email: string;
  operator: boolean;
}

/** Browser sessions: a random cookie token (only its SHA-256 stored), idle and absolute expiry. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  /** A new session; returns the cookie value (shown to nobody else) and the CSRF token. */
  async create(adminId: string, clientIp: string): Promise<{ token: string; csrfToken: string }> {
    const token = newToken();
    const csrfToken = newToken();
    const now = new Date();
    const repository = this.dataSource.getRepository(SessionEntity);
    await repository.delete({ expiresAt: LessThan(now) });
    await repository.insert({
      adminId,
      tokenHash: tokenHash(token),
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.session.maxAgeSeconds * 1000),
      clientIp,
    });
    return { token, csrfToken };
  }

  /** The session's admin, or undefined when unknown, idle too long or past its maximum age. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const row = await this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .innerJoin(AdminEntity, 'a', 'a.id = s.admin_id')
      .select('s.id', 'sessionId')
      .addSelect('s.csrf_token', 'csrfToken')
      .addSelect('s.last_seen_at', 'lastSeenAt')
      .addSelect('a.id', 'adminId')
      .addSelect('a.email', 'email')
      .addSelect('a.operator', 'operator')
      .where('s.token_hash = :hash', { hash: tokenHash(token) })
      .andWhere('s.expires_at > now()')
      .andWhere("s.last_seen_at > now() - (CAST(:idle AS integer) * interval '1 second')", {
        idle: this.config.session.idleTimeoutSeconds,
      })
      .getRawOne<SessionRow>();
    if (!row) return undefined;
    if (Date.now() - new Date(row.lastSeenAt).getTime() > TOUCH_AFTER_MS) {
      await this.dataSource
        .getRepository(SessionEntity)
        .update({ id: row.sessionId }, { lastSeenAt: new Date() });
    }
    return {
      adminId: row.adminId,
      email: row.email,
      operator: row.operator,
      via: 'session',
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
    };
  }

  async end(sessionId: string): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).delete({ id: sessionId });
  }
}
