/**
 * Reads from an EHR's FHIR server what a CDS Hooks request did not prefetch, with the access token
 * the request gave (https://cds-hooks.hl7.org/2.0/#fhir-resource-access). Short deadlines: the EHR
 * waits about a second for the whole call. Search results are followed through their `next` links
 * on the same server, up to a page limit, into one searchset Bundle.
 */

export const FHIR_FETCH_TIMEOUT_MS = 2000;
/**
 * A CDS Hooks request carries a patient's prefetched record, far larger than any form: the server
 * refuses a larger declared length, and the route counts a chunked body while reading it.
 */
export const CDS_MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const MAX_PAGES = 10;

export class FhirFetchError extends Error {}

interface FhirAccess {
  fhirServer: string;
  accessToken?: string;
  /** Shared by every request of one hook call. */
  signal: AbortSignal;
}

/** Reads `relative` (a read or a search, as a prefetch template filled) from the FHIR server. */
export async function readFhir(access: FhirAccess, relative: string): Promise<unknown> {
  const base = access.fhirServer.endsWith("/") ? access.fhirServer : `${access.fhirServer}/`;
  const first = await getJson(access, new URL(relative, base));
  if (!isSearchset(first)) return first;
  const entries = [...(first.entry ?? [])];
  let next = nextLink(first);
  for (let page = 1; next && page < MAX_PAGES; page++) {
    const url = new URL(next);
    // Never follow a link off the EHR's own server with its token.
    if (!url.href.startsWith(base)) throw new FhirFetchError("A next link leaves the FHIR server.");
    const bundle = await getJson(access, url);
    if (!isSearchset(bundle)) throw new FhirFetchError("A next page is not a searchset Bundle.");
    entries.push(...(bundle.entry ?? []));
    next = nextLink(bundle);
  }
  if (next) throw new FhirFetchError(`More than ${MAX_PAGES} pages of results.`);
  return { resourceType: "Bundle", type: "searchset", entry: entries };
}

interface SearchsetBundle {
  resourceType: "Bundle";
  type: "searchset";
  entry?: unknown[];
  link?: Array<{ relation?: string; url?: string }>;
}

function isSearchset(value: unknown): value is SearchsetBundle {
  const bundle = value as Partial<SearchsetBundle> | null;
  return bundle?.resourceType === "Bundle" && bundle.type === "searchset";
}

function nextLink(bundle: SearchsetBundle): string | undefined {
  return bundle.link?.find((link) => link.relation === "next")?.url;
}

async function getJson(access: FhirAccess, url: URL): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Accept: "application/fhir+json",
        ...(access.accessToken ? { Authorization: `Bearer ${access.accessToken}` } : {}),
      },
      redirect: "error",
      signal: access.signal,
    });
  } catch (error) {
    throw new FhirFetchError(
      error instanceof Error && error.name === "TimeoutError"
        ? "The FHIR server did not answer in time."
        : "The FHIR server cannot be reached.",
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FhirFetchError(`The FHIR server answered ${response.status}.`);
  }
  let text: string;
  try {
    text = await readCapped(response, MAX_RESPONSE_BYTES);
  } catch (error) {
    // Too large, or the deadline passed while the body was still arriving.
    throw new FhirFetchError(
      error instanceof BodyTooLargeError
        ? "The FHIR server's answer is too large."
        : "The FHIR server's answer did not arrive in time.",
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FhirFetchError("The FHIR server's answer is not JSON.");
  }
}

/** The body as text, refused past `maxBytes` without reading the rest. */
export async function readCapped(
  source: { body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
): Promise<string> {
  if (!source.body) return "";
  const reader = source.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export class BodyTooLargeError extends Error {}
