import { Module, type DynamicModule } from '@nestjs/common';
import { AnchorJob } from './anchor.job.js';
import { ChainController } from './chain.controller.js';
import { CHAIN_SETTINGS, type ChainSettings } from './chain-settings.js';
import { ChainVerifier } from './chain-verifier.js';

/**
 * The hash chains' verification (`AuditChainRpc.verify`, the `verify` command) and, when
 * `anchors` is on, the periodic signing of the chain heads. Appending lives in ingest.
 */
@Module({})
export class ChainModule {
  static withSettings(settings: ChainSettings, options: { anchors: boolean }): DynamicModule {
    return {
      module: ChainModule,
      controllers: [ChainController],
      providers: [
        ChainVerifier,
        ...(options.anchors ? [AnchorJob] : []),
        { provide: CHAIN_SETTINGS, useValue: settings },
      ],
      exports: [ChainVerifier, ...(options.anchors ? [AnchorJob] : [])],
    };
  }
}
