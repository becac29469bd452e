import { Metrics } from './metrics.js';
import { Readiness } from './readiness.js';

describe(Metrics.name, () => {
  it('names metrics after the app and renders them with process metrics', async () => {
    const metrics = new Metrics('ip-filter');
    metrics.httpDuration.observe({ method: 'GET', route: '/readyz', status_class: '2xx' }, 0.002);
    const { body } = await metrics.render();
    expect(body).toContain('ip_filter_http_request_duration_seconds_bucket');
    expect(body).toContain('process_cpu_user_seconds_total');
  });
});

describe(Readiness.name, () => {
  it('is ready only when every check passes, and a throwing check fails', async () => {
    const readiness = new Readiness();
    readiness.add('db', () => true);
    readiness.add('nats', async () => Promise.reject(new Error('down')));
    expect(await readiness.evaluate()).toEqual({ ready: false, checks: { db: true, nats: false } });
  });
});
