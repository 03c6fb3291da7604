import { Prisma } from "~/generated/prisma/client";

/** A write refused by one of these unique indexes (named as the pg driver adapter reports them). */
export function violatesUniqueIndex(error: unknown, indexes: readonly string[]): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  const violation = error.meta?.driverAdapterError as { cause?: { constraint?: { index?: string } } } | undefined;
  return indexes.includes(violation?.cause?.constraint?.index ?? "");
}
