import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;

/** The per-request CSP nonce that lets the page's own scripts run. */
export function useNonce(): string {
  return useContext(NonceContext);
}
