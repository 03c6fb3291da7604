import type { ReactNode } from "react";
import { displayDate, displayDatesIn, type IsoDate } from "~/domain/iso-date";
import { MME_CAVEATS } from "~/domain/clinical/mme";
import type { ReferralPacket } from "~/domain/referral-packet";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="print:break-inside-avoid">
      <h2 className="font-semibold">{title}</h2>
      {children}
    </section>
  );
}

/**
 * What the receiving proceduralist must check before booking, the same on the referral form and the
 * printed summary, where it comes first. Typed text (free-text allergies, drug names) sits in <bdi>.
 */
export function PacketSafety({ packet }: { packet: ReferralPacket }) {
  return (
    <div className="space-y-3">
      <Section title="Allergies">
        {packet.allergies.length > 0 ? (
          <p className="rounded border border-red-700 bg-red-50 px-2 text-red-900 print:bg-white">
            {packet.allergies.map((allergy, index) => (
              <span key={allergy}>
                {index > 0 ? ", " : ""}
                <bdi>{allergy}</bdi>
              </span>
            ))}
          </p>
        ) : (
          <p>No allergies recorded.</p>
        )}
      </Section>

      <Section title="Anticoagulants and antiplatelets">
        {packet.antithrombotics.length > 0 ? (
          <ul className="list-disc pl-5">
            {packet.antithrombotics.map(({ label, guidance }) => (
              <li key={label}>
                <strong>{label} therapy.</strong>{" "}
                {guidance ? (
                  <>
                    {displayDatesIn(guidance.message)}{" "}
                    <span className="text-xs">Source: {displayDatesIn(guidance.source)}</span>
                  </>
                ) : (
                  "No hold guidance from the evaluation for this procedure: agree a periprocedural plan with the prescriber."
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p>None recorded.</p>
        )}
      </Section>

      <Section title="Current medications">
        {packet.medications.length > 0 ? (
          <ul className="list-disc pl-5">
            {packet.medications.map((medication) => (
              <li key={medication.id}>
                <bdi>{medication.label}</bdi>
                {medication.mme
                  ? ` — ${medication.mme.status === "calculated" ? `${medication.mme.mme} MME/day` : medication.mme.message}`
                  : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>No active medication.</p>
        )}
        {packet.totalMme ? (
          <p>
            Total daily MME {packet.totalMme.totalMme} ({packet.totalMme.tableVersion} factors).{" "}
            <span className="text-xs">{MME_CAVEATS.notForConversion}</span>
          </p>
        ) : null}
      </Section>

      <Section title="Cautions">
        {packet.cautions === null ? (
          <p>The evaluation did not suggest this procedure, so it gives no cautions for it.</p>
        ) : packet.cautions.length > 0 ? (
          <ul className="list-disc pl-5">
            {packet.cautions.map((caution) => (
              <li key={caution.code}>
                ⚠ {displayDatesIn(caution.message)}{" "}
                <span className="text-xs">Source: {displayDatesIn(caution.source)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>None for this procedure.</p>
        )}
      </Section>

      <Section title="Imaging">
        {packet.imaging.length > 0 ? (
          <ul className="list-disc pl-5">
            {packet.imaging.map((study) => (
              <li key={study}>
                <bdi>{study}</bdi>
              </li>
            ))}
          </ul>
        ) : (
          <p>Imaging: none recorded in PainPath for this diagnosis.</p>
        )}
      </Section>
    </div>
  );
}

/** The criteria met with their sources, and who refers, to sign. */
export function PacketCriteriaAndSignature({
  packet,
  physician,
  date,
}: {
  packet: ReferralPacket;
  physician: string;
  date: IsoDate;
}) {
  return (
    <div className="space-y-3">
      <Section title="Criteria met">
        {packet.criteriaMet.length === 0 ? (
          <p>Referred directly by the physician (no criteria evaluation attached).</p>
        ) : (
          <ul className="space-y-1">
            {packet.criteriaMet.map((criterion) => (
              <li key={criterion.ruleId}>
                <strong>{criterion.title}</strong> ({criterion.ruleId} v{criterion.ruleVersion};{" "}
                {displayDatesIn(criterion.source)}): {displayDatesIn(criterion.explanation)}
                <ul className="list-disc pl-5">
                  {criterion.evidence.map((evidence, index) => (
                    <li key={index}>{displayDatesIn(evidence.summary)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
        {packet.ruleSetVersion ? <p className="text-xs">Rule set {packet.ruleSetVersion}.</p> : null}
      </Section>

      <Section title="Referring physician">
        <p>
          <bdi>{physician}</bdi> · {displayDate(date)}
        </p>
        <p className="mt-6">Signature: ____________________________________</p>
      </Section>
    </div>
  );
}
