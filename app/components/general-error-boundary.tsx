import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; body: string }> = {
  400: { title: "Bad request", body: "The request could not be understood." },
  403: { title: "Access denied", body: "You do not have access to this page." },
  404: { title: "Not found", body: "There is nothing at this address." },
  409: {
    title: "Changed elsewhere",
    body: "Someone else changed this record. Reload it and try again.",
  },
  413: { title: "Too large", body: "What you sent is too large." },
  415: { title: "Bad request", body: "Send the form from PainPath's own page." },
  503: {
    title: "Database unavailable",
    body: "PainPath can't reach its database; your entry has not been saved. Try again in a moment.",
  },
};

/** The one error screen: a short message by status, never internals or patient data. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = MESSAGES[status] ?? {
    title: "Something went wrong",
    body: "An unexpected error occurred. It has been logged; please try again.",
  };
  return (
    <main id="main" className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold text-slate-900">{message.title}</h1>
      <p className="mt-2 text-slate-700">{message.body}</p>
      <p className="mt-6">
        <Link to="/" className="text-blue-700 underline">
          Go to your home page
        </Link>
      </p>
    </main>
  );
}
