import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TokenRpc, type Jwks } from '@loyalty-edge/token-contracts';
import { SigningKeysService } from './signing-keys.service.js';

@Controller()
export class SigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @MessagePattern(TokenRpc.jwks.subject)
  jwks(): Promise<Jwks> {
    return this.keys.jwks();
  }
}
