import { JsonLogger } from './json-logger.js';

function capture(level: 'debug' | 'info' = 'info'): { logger: JsonLogger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new JsonLogger('test-app', level, (line) => lines.push(line)), lines };
}

describe(JsonLogger.name, () => {
  it('writes one JSON line with app, level and context', () => {
    const { logger, lines } = capture();
    logger.log('started', 'Bootstrap');
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'info',
      app: 'test-app',
      context: 'Bootstrap',
      msg: 'started',
    });
  });

  it('redacts secrets in structured fields', () => {
    const { logger, lines } = capture();
    logger.warn({
      msg: 'login failed',
      body: { email: 'a@b.c', password: 'hunter2' },
      cookie: 'sid=abc',
    });
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('sid=abc');
    expect(lines[0]).toContain('a@b.c');
  });

  it('treats Nest start-up chatter as debug', () => {
    const { logger, lines } = capture('info');
    logger.log('Mapped {/api, GET} route', 'RouterExplorer');
    expect(lines).toHaveLength(0);
  });

  it('drops entries below the level', () => {
    const { logger, lines } = capture('info');
    logger.debug('noise');
    expect(lines).toHaveLength(0);
  });
});
