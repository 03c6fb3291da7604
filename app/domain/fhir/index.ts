export { mapPatient } from "./map-patient";
export { draftToSnapshot } from "./snapshot";
export { codeKey } from "./code-maps";
export type * from "./types";
