import type { useLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/patients.$patientId._index";

/** What the patient page's loader sends, as its components receive it. */
export type PatientPageData = ReturnType<typeof useLoaderData<typeof loader>>;
