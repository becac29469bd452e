// Types for the parts of escher-auth@4 (the reference JavaScript client, plain CommonJS) that the
// interop and differential tests use.
declare module 'escher-auth' {
  interface EscherAuthConfig {
    algoPrefix?: string;
    vendorKey?: string;
    hashAlgo?: 'SHA256' | 'SHA512';
    credentialScope?: string;
    authHeaderName?: string;
    dateHeaderName?: string;
    clockSkew?: number;
    accessKeyId?: string;
    apiSecret?: string;
  }
  interface EscherAuthRequest {
    method: string;
    url: string;
    headers: (readonly [string, string])[];
    host?: string;
    body?: string | Buffer;
  }
  class Escher {
    constructor(config?: EscherAuthConfig);
    signRequest(
      request: EscherAuthRequest,
      body: string | Buffer,
      headersToSign?: string[],
    ): EscherAuthRequest;
    preSignUrl(url: string, expires: number): string;
    authenticate(
      request: EscherAuthRequest,
      keyDb: (accessKeyId: string) => string | undefined,
      mandatorySignedHeaders?: string[],
    ): string;
  }
  export = Escher;
}

declare module 'escher-auth/lib/canonicalizer.js' {
  class Canonicalizer {
    constructor(hashAlgo: 'SHA256' | 'SHA512');
    canonicalizeRequest(
      request: { method: string; url: string; headers: (readonly [string, string])[] },
      body: string | Buffer,
      headersToSign: string[],
    ): string;
  }
  export = Canonicalizer;
}

declare module 'escher-auth/lib/authhelper.js' {
  /** Builds the auth header at a fixed signing time (what `signRequest` does at `new Date()`). */
  class AuthHelper {
    constructor(
      config: {
        algoPrefix: string;
        vendorKey: string;
        hashAlgo: 'SHA256' | 'SHA512';
        credentialScope: string;
        authHeaderName: string;
        dateHeaderName: string;
        accessKeyId: string;
        apiSecret: string;
      },
      currentDate: Date,
    );
    generateHeader(
      request: { method: string; url: string; headers: (readonly [string, string])[] },
      body: string | Buffer,
      headersToSign: string[],
    ): string;
  }
  export = AuthHelper;
}
