import { AuthClientEventEntity } from './auth-client-event.entity.js';
import { ChainAnchorEntity, ChainHeadEntity } from './chain-head.entity.js';
import { ChangeEntity } from './change.entity.js';
import { ClientIpCountEntity, ClientIpEventEntity } from './client-ip-count.entity.js';
import { FailedCallEntity } from './failed-call.entity.js';
import { TokenEventEntity } from './token-event.entity.js';

export const AUDIT_ENTITIES = [
  ChangeEntity,
  FailedCallEntity,
  AuthClientEventEntity,
  TokenEventEntity,
  ClientIpCountEntity,
  ClientIpEventEntity,
  ChainHeadEntity,
  ChainAnchorEntity,
];
