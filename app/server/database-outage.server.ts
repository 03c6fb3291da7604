import { data, type ActionFunction, type LoaderFunction, type ServerBuild } from "@remix-run/node";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "~/models/database-unavailable.server";
import { logger } from "./logger.server";

type Args = Parameters<LoaderFunction>[0];

/**
 * While the database is out of reach, every loader and action answers 503 with one plain message
 * instead of crashing with a 500. An action answers with the message as its form's error rather
 * than an error page: after a 5xx action Remix does not reload the page, so what was typed stays in
 * the form, ready to send again. Wrapped around the build, so no route can forget it.
 */
export function answerDatabaseOutages(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      if (!route) return [id, route];
      const { loader, action } = route.module;
      const module = {
        ...route.module,
        ...(loader ? { loader: guardLoader(loader) } : {}),
        ...(action ? { action: guardAction(action) } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}

function noteOutage(args: Args, error: unknown): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  logger.warn({ requestId: args.context.requestId, route: new URL(args.request.url).pathname }, "database unreachable");
  return true;
}

function guardLoader(loader: LoaderFunction): LoaderFunction {
  return async (args) => {
    try {
      return await loader(args);
    } catch (error) {
      if (noteOutage(args, error)) throw new Response(DATABASE_UNAVAILABLE_MESSAGE, { status: 503 });
      throw error;
    }
  };
}

function guardAction(action: ActionFunction): ActionFunction {
  return async (args) => {
    try {
      return await action(args);
    } catch (error) {
      if (!noteOutage(args, error)) throw error;
      // The shape of a conform form reply: every form shows it above its fields.
      return data(
        { result: { status: "error", error: { "": [DATABASE_UNAVAILABLE_MESSAGE] } }, conflict: null },
        { status: 503 },
      );
    }
  };
}
