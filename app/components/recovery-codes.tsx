import { formatRecoveryCode } from "~/domain/mfa";

/** New recovery codes, shown once: only their hashes are kept. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section className="rounded border border-amber-400 bg-amber-50 p-4" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading" className="font-semibold">
        Your recovery codes
      </h2>
      <p className="mt-1 text-sm">
        Each code signs you in once if you lose your phone or passkey. Keep them somewhere safe now: PainPath cannot
        show them again.
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-2 font-mono text-lg" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{formatRecoveryCode(code)}</li>
        ))}
      </ul>
    </section>
  );
}
