import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { EmptyState, Page } from "~/components/page";
import { ScrollRegion } from "~/components/scroll-region";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { USER_LIST_LIMIT } from "~/domain/user-forms";
import { listUsers } from "~/models/user-admin.server";
import { requireUser } from "~/web/auth.server";

export const meta: MetaFunction = () => [{ title: "Users · PainPath" }];

const UserListFiltersSchema = z.object({
  role: z.enum(ROLES).optional(),
  status: z.enum(["active", "inactive"]).optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const params = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(([key, value]) => ["role", "status"].includes(key) && value !== ""),
  );
  const parsed = UserListFiltersSchema.safeParse(params);
  if (!parsed.success) throw new Response("Unknown role or status in the filter.", { status: 400 });
  const { role, status } = parsed.data;
  const users = await listUsers({ role, active: status ? status === "active" : undefined });
  return {
    users,
    filters: { role: role ?? "", status: status ?? "" },
    limited: users.length === USER_LIST_LIMIT,
  };
}

export default function Users() {
  const { users, filters, limited } = useLoaderData<typeof loader>();
  return (
    <Page title="Users">
      <div className="flex flex-wrap items-end gap-4">
        <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter users">
          <div>
            <label htmlFor="role" className="block text-sm font-medium text-slate-800">
              Role
            </label>
            <select
              id="role"
              name="role"
              defaultValue={filters.role}
              className="mt-1 rounded border border-slate-300 px-3 py-2"
            >
              <option value="">Any role</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="status" className="block text-sm font-medium text-slate-800">
              Status
            </label>
            <select
              id="status"
              name="status"
              defaultValue={filters.status}
              className="mt-1 rounded border border-slate-300 px-3 py-2"
            >
              <option value="">Active and deactivated</option>
              <option value="active">Active</option>
              <option value="inactive">Deactivated</option>
            </select>
          </div>
          <button type="submit" className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900">
            Show
          </button>
        </Form>
        <Link to="/admin/sign-ins" className="ml-auto text-blue-800 underline">
          Slowed sign-ins
        </Link>
        <Link
          to="/admin/users/new"
          className="rounded border border-blue-800 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50"
        >
          New user
        </Link>
      </div>
      {users.length === 0 ? (
        <div className="mt-6">
          <EmptyState>No user matches these filters.</EmptyState>
        </div>
      ) : (
        <ScrollRegion label="Users" className="mt-6">
          <table className="w-full border-collapse bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Email</th>
                <th className="px-3 py-2">Role</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Password</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <Link to={`/admin/users/${user.id}`} className="font-medium text-blue-800 underline">
                      {user.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{user.email}</td>
                  <td className="px-3 py-2">{ROLE_LABELS[user.role]}</td>
                  <td className="px-3 py-2">{user.active ? "Active" : "Deactivated"}</td>
                  <td className="px-3 py-2">{user.mustChangePassword ? "Must change at next sign-in" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {limited ? (
        <p className="mt-2 text-sm text-slate-600">
          Showing the first {USER_LIST_LIMIT} users by name. Filter by role or status to see the others.
        </p>
      ) : null}
    </Page>
  );
}
