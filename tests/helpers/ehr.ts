import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

/**
 * A test EHR acting as a CDS Hooks client: its own key pair, its JWK Set and a small FHIR server
 * served over real HTTP, and JWTs signed as https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * asks (alg, kid, typ in the header; iss, aud, exp, iat, jti in the payload).
 */
export interface TestEhr {
  origin: string;
  issuer: string;
  jwksUrl: string;
  fhirBase: string;
  publicJwks: { keys: JWK[] };
  /** FHIR responses by path and query, e.g. "/fhir/Patient/p1". */
  fhir: Map<string, unknown>;
  /** The requests its FHIR server received: path with query, and the Authorization header. */
  fhirRequests: Array<{ url: string; authorization: string | undefined }>;
  /** Milliseconds its FHIR server waits before answering (to test the service's deadline). */
  fhirDelayMs: number;
  /** Paths whose answer starts and then stalls: headers and a first chunk, the rest never comes. */
  fhirStalled: Set<string>;
  sign: (aud: string, options?: SignOptions) => Promise<string>;
  close: () => Promise<void>;
}

export interface SignOptions {
  claims?: Record<string, unknown>;
  /** Seconds from now. */
  expiresIn?: number;
  issuedAt?: number;
  jti?: string;
  header?: Record<string, unknown>;
  /** Sign with a key the EHR never published. */
  foreignKey?: boolean;
}

export const EHR_KEY_ID = "test-ehr-es384";

export async function startTestEhr(): Promise<TestEhr> {
  const { publicKey, privateKey } = await generateKeyPair("ES384", { extractable: true });
  const foreign = await generateKeyPair("ES384");
  const publicJwks = { keys: [{ ...(await exportJWK(publicKey)), kid: EHR_KEY_ID, alg: "ES384", use: "sig" }] };
  const fhir = new Map<string, unknown>();
  const fhirRequests: TestEhr["fhirRequests"] = [];
  const fhirStalled = new Set<string>();
  const state = { fhirDelayMs: 0 };

  const server: Server = createServer((request, response) => {
    const url = request.url ?? "/";
    if (url === "/jwks") {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(publicJwks));
      return;
    }
    if (url.startsWith("/fhir/")) {
      fhirRequests.push({ url, authorization: request.headers.authorization });
      if (fhirStalled.has(decodeURIComponent(url))) {
        response.writeHead(200, { "Content-Type": "application/fhir+json" }).write('{"resourceType":');
        return;
      }
      setTimeout(() => {
        const body = fhir.get(decodeURIComponent(url));
        if (body === undefined) {
          response.writeHead(404, { "Content-Type": "application/fhir+json" }).end("{}");
          return;
        }
        response.writeHead(200, { "Content-Type": "application/fhir+json" }).end(JSON.stringify(body));
      }, state.fhirDelayMs);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("The test EHR has no address");
  const origin = `http://127.0.0.1:${address.port}`;
  const issuer = `${origin}/`;

  const ehr: TestEhr = {
    origin,
    issuer,
    jwksUrl: `${origin}/jwks`,
    fhirBase: `${origin}/fhir`,
    publicJwks,
    fhir,
    fhirRequests,
    fhirStalled,
    get fhirDelayMs() {
      return state.fhirDelayMs;
    },
    set fhirDelayMs(value: number) {
      state.fhirDelayMs = value;
    },
    async sign(aud, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ ...options.claims })
        .setProtectedHeader({ alg: "ES384", typ: "JWT", kid: EHR_KEY_ID, jku: `${origin}/jwks`, ...options.header })
        .setIssuer(typeof options.claims?.iss === "string" ? options.claims.iss : issuer)
        .setAudience(aud)
        .setIssuedAt(options.issuedAt ?? now)
        .setExpirationTime(now + (options.expiresIn ?? 120))
        .setJti(options.jti ?? randomUUID());
      return jwt.sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return ehr;
}

/** A JWT with `alg: none` (RFC 7519 §6.1): header and payload, and an empty signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT", kid: EHR_KEY_ID })}.${encode(claims)}.`;
}
