import { TextAreaField, TextField } from "./forms";

type IssuerFieldSet = Parameters<typeof TextField>[0]["field"];

/** The fields shared by the add form and an issuer's edit form. */
export function CdsIssuerFields({
  fields,
}: {
  fields: {
    label: IssuerFieldSet;
    issuer: IssuerFieldSet;
    jwksUrl: IssuerFieldSet;
    jwks: IssuerFieldSet;
    mrnSystem: IssuerFieldSet;
  };
}) {
  return (
    <>
      <TextField field={fields.label} label="EHR name" />
      <TextField field={fields.issuer} label="Issuer (iss)" hint="Exactly as the EHR's tokens name it." />
      <TextField
        field={fields.jwksUrl}
        label="Key set address (JWKS URL)"
        hint="Where the EHR publishes its public keys. Tokens naming any other jku are refused."
      />
      <TextAreaField
        field={fields.jwks}
        label="Or the key set itself (JWKS JSON)"
        hint="Public keys only, each with its kid. Leave empty when the address is given."
      />
      <TextField
        field={fields.mrnSystem}
        label="MRN identifier system (optional)"
        hint="The system of the MRNs this EHR shares with PainPath. Empty: any identifier of type MR."
      />
    </>
  );
}
