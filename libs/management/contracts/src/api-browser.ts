/** How the API browser authenticates a call: plain `api_key`, or an Escher signature. */
export const BROWSER_AUTHS = ['api_key', 'signature'] as const;
export type BrowserAuth = (typeof BROWSER_AUTHS)[number];

export const BROWSER_METHODS = ['GET', 'POST'] as const;
export type BrowserMethod = (typeof BROWSER_METHODS)[number];

/** `POST /api/workspaces/{ws}/api-browser/requests`: a call the management API makes for the admin. */
export interface BrowserRequest {
  readonly method: BrowserMethod;
  /** An Events or Customer API path, a customer id unencoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly auth: BrowserAuth;
}

/** The request as it was sent (credential redacted) and the gateway's answer. */
export interface BrowserExchange {
  readonly auth: BrowserAuth;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string | null;
  };
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly truncated: boolean;
  };
  readonly durationMs: number;
}
