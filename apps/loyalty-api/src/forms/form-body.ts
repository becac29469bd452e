import qs from 'qs';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';

/**
 * Limits of a form-encoded body (`application/x-www-form-urlencoded`): bracket nesting
 * (`data[address][city]` is 2), elements of one list (`data[tags][0]`…), and fields in all.
 * Past any of them the body is refused (400), never silently cut or turned into an object.
 */
export const FORM_LIMITS = { depth: 5, arrayLimit: 100, parameterLimit: 1000 } as const;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Decodes a form body as PHP's `http_build_query` builds it (Antavo's old PHP SDK):
 * `customer=c1&action=opt_in&data[email]=a%40b.c&data[tags][0]=x` becomes
 * `{customer: 'c1', action: 'opt_in', data: {email: 'a@b.c', tags: ['x']}}`. Values stay
 * strings (the event rules accept decimal strings for points). `__proto__` and other
 * prototype keys are dropped.
 */
export function parseFormBody(text: string): Record<string, unknown> {
  try {
    return qs.parse(text, {
      depth: FORM_LIMITS.depth,
      strictDepth: true,
      arrayLimit: FORM_LIMITS.arrayLimit,
      parameterLimit: FORM_LIMITS.parameterLimit,
      throwOnLimitExceeded: true,
      allowPrototypes: false,
      allowDots: false,
      charset: 'utf-8',
    });
  } catch (error) {
    throw new AppError(
      'invalid',
      ErrorCodes.validation,
      `The form body is over its limits (${FORM_LIMITS.depth} levels of brackets, ${FORM_LIMITS.arrayLimit} list elements, ${FORM_LIMITS.parameterLimit} fields)`,
      { reason: error instanceof Error ? error.message : 'unreadable' },
    );
  }
}

interface BodyParserHost {
  useBodyParser(
    type: string,
    options: { bodyLimit?: number },
    parser: (
      request: unknown,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): unknown;
}

/** Parses form bodies with {@link parseFormBody} instead of the framework's flat parser. */
export function acceptFormBodies(app: BodyParserHost): void {
  app.useBodyParser(FORM_CONTENT_TYPE, {}, (_request, body, done) => {
    try {
      done(null, parseFormBody(body.toString('utf8')));
    } catch (error) {
      done(error instanceof Error ? error : new Error('unreadable form body'));
    }
  });
}
