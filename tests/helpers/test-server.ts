import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { parseEnv } from "~/server/env.server";
import { createHttpApp } from "~/server/http-app";

export interface TestServer {
  origin: string;
  close: () => Promise<void>;
}

/**
 * Serves the production build (`npm run build`) in this process, on a free port, against this
 * test file's database: the same middleware and routes a browser meets.
 */
export async function startTestServer(): Promise<TestServer> {
  const buildUrl = pathToFileURL(path.resolve("build/index.js")).href;
  const build = (await import(/* @vite-ignore */ buildUrl)) as ServerBuild;
  const app = createHttpApp(parseEnv({ ...process.env, NODE_ENV: "test" }), build);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("The test server has no address");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
