// Regression corpus of the gateway's path check: request paths an nginx or Tomcat upstream
// would resolve outside the API the gateway routed them to (reviewer findings and fast-check
// counterexamples), kept as fixed cases. Add a case whenever one slipped through.

export const UNSAFE_PATH_SEEDS: readonly string[] = [
  // reviewer finding: encoded and matrix-parameter dot segments
  '/customers/..%2Fevents',
  '/customers/%2e%2e%2fevents',
  '/customers/%252e%252e%252fevents',
  '/customers/..;/events',
  '/customers/..;a=b/events',
  '/customers/%2E%2E%2F%2E%2E%2Fv1/auth/token',
  '/v1/async/events/..%2F..%2F..%2Fevents',
  '/points/preview/..%252F..%252Fcustomers',
  '/customers/a%2F..%2F..%2Fevents',
  '/customers/..%5Cevents',
  // fast-check counterexamples against the check before decoding (isSafePath, 2026-11-30)
  '/challenges/..;',
  '/challenges/..;x=1',
  '/challenges/..%2f',
  '/challenges/%2f..',
];
