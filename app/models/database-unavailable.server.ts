import { Prisma } from "~/generated/prisma/client";

export const DATABASE_UNAVAILABLE_MESSAGE = "PainPath can't reach its database; your entry has not been saved.";

/** Prisma's codes for a server it cannot reach, a connection it lost, or a pool it waited on too long. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The pg driver adapter's kinds for the same, as Prisma passes them on in `meta.driverAdapterError`. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE"]);

interface DriverCause {
  kind?: string;
  code?: string;
  severity?: string;
}

/**
 * Whether an error means the database is out of reach (down, restarting, refusing connections or
 * dropping them), as opposed to a query it refused. PostgreSQL reports the connection-level cases as
 * FATAL, class 08 (connection exception) or 57P (operator intervention: shutdown, restart).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (PRISMA_CODES.has(error.code)) return true;
    const cause = (error.meta?.driverAdapterError as { cause?: DriverCause } | undefined)?.cause;
    return cause ? isUnreachableCause(cause) : false;
  }
  // Models that use the pg driver directly see its errors as they are.
  if (error instanceof Error && typeof (error as DriverCause).code === "string") {
    const { code } = error as DriverCause;
    return SOCKET_CODES.has(code ?? "") || isUnreachableCause(error as DriverCause);
  }
  return error instanceof Error && /^Connection terminated/.test(error.message);
}

function isUnreachableCause({ kind, code, severity }: DriverCause): boolean {
  if (kind && ADAPTER_KINDS.has(kind)) return true;
  return severity === "FATAL" || code?.startsWith("08") === true || code?.startsWith("57P") === true;
}
