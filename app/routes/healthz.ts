import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkDatabase } from "~/models/health.server";
import { logger } from "~/server/logger.server";

/** For load balancers: 200 only when this instance can query the database. */
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await checkDatabase();
    return Response.json({ status: "ok" });
  } catch (error) {
    logger.error({ err: error, requestId: context.requestId }, "health check failed");
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
}
