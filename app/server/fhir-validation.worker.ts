// A thread of the FHIR import's validation pool (fhir-validation-pool.server.ts). Started without
// definitions, it makes the trimmed R4 definitions, sends them and ends; started with them, it indexes
// them and answers each batch of resource texts, in order, with what checkResourceText found.
import { parentPort, workerData } from "node:worker_threads";
import { checkResourceText, indexDefinitions, r4Definitions } from "./fhir-validation.server";

const { definitions } = workerData as { definitions: string | null };
if (definitions === null) {
  parentPort?.postMessage(r4Definitions());
} else {
  indexDefinitions(definitions);
  parentPort?.on("message", (texts: string[]) => {
    parentPort?.postMessage(texts.map(checkResourceText));
  });
}
