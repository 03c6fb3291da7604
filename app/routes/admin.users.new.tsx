import { getFormProps, useForm, type Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormErrors, SelectField, SubmitButton, TextField } from "~/components/forms";
import { Page } from "~/components/page";
import { PasswordField } from "~/components/password-field";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { PASSWORD_HINT, userCreateSchema, type UserCreateInput } from "~/domain/user-forms";
import { createUser } from "~/models/user-admin.server";
import { requireUser } from "~/web/auth.server";
import { newPasswordProblems } from "~/server/password.server";
import { replyToInvalidUserForm, replyToUserRefusal } from "~/web/user-forms.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "New user · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const submission = await parseForm(request, userCreateSchema(newPasswordProblems));
  if (submission.status !== "success") return replyToInvalidUserForm(submission);
  let userId: string;
  try {
    userId = (await createUser(submission.value, admin, context)).id;
  } catch (error) {
    return replyToUserRefusal(error, submission);
  }
  throw redirect(`/admin/users/${userId}`);
}

export default function NewUser() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<UserCreateInput>({
    id: "new-user",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: userCreateSchema() }) as unknown as Submission<UserCreateInput>,
  });
  return (
    <Page title="New user">
      <p className="text-sm text-slate-700">
        <Link to="/admin/users" className="text-blue-800 underline">
          Back to users
        </Link>
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-xl space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextField field={fields.name} label="Name" autoFocus />
        <TextField field={fields.email} label="Email" type="email" />
        <SelectField
          field={fields.role}
          label="Role"
          placeholder="Choose…"
          options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
        />
        <fieldset className="space-y-4 rounded border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold">Initial password</legend>
          <p className="text-sm text-slate-700">
            Give it to the user in person or by phone. They must choose their own password when they first sign in.
          </p>
          <PasswordField field={fields.password} label="Password" hint={PASSWORD_HINT} autoComplete="new-password" />
          <PasswordField field={fields.confirmPassword} label="Password again" autoComplete="new-password" />
        </fieldset>
        <SubmitButton pending={navigation.state === "submitting"}>Create user</SubmitButton>
      </Form>
    </Page>
  );
}
