import { StreamableFile } from '@nestjs/common';
import type { Page } from '@loyalty-edge/audit-contracts';
import type { ExportStream } from './audit-queries.js';

/** A page as JSON, or an export as a download. */
export function respond<T>(result: Page<T> | ExportStream): Page<T> | StreamableFile {
  if (!('stream' in result)) return result;
  return new StreamableFile(result.stream, {
    type: result.contentType,
    disposition: `attachment; filename="${result.filename}"`,
  });
}

export const EXPORT_TYPES = ['application/json', 'text/csv', 'application/x-ndjson'] as const;
