import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";

declare global {
  var __painpathPrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const env = getEnv();
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set: the server sets it before the first query.");
  }
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: env.DATABASE_POOL_SIZE }),
  });
}

/**
 * Kept on globalThis: the HTTP server and the Remix build are bundled separately, and dev rebuilds
 * re-import the build, but the process must keep one connection pool.
 */
export function getDb(): PrismaClient {
  globalThis.__painpathPrisma ??= createClient();
  return globalThis.__painpathPrisma;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
