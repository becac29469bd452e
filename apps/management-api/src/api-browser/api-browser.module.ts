import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { ApiBrowserController } from './api-browser.controller.js';
import { ApiBrowserService } from './api-browser.service.js';

@Module({
  imports: [ChangeLogModule],
  controllers: [ApiBrowserController],
  providers: [ApiBrowserService],
})
export class ApiBrowserModule {}
