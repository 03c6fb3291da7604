import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/**
 * Lint keeps the layers: each folder lists the imports it may not make. One entry per file, since
 * a later entry's no-restricted-imports replaces an earlier one's. No product file imports tools/.
 */
const TOOLS = ["**/tools/*"];
const layer = (files, group, message = "") => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...(group.length ? [{ group, message }] : []),
          { group: TOOLS, message: "The product never imports the generators, demo data or benchmark in tools/." },
        ],
      },
    ],
  },
});
const outsideDomain = ["models", "server", "web", "routes", "components", "cli"].flatMap((folder) => [
  `~/${folder}/*`,
  `**/${folder}/*`,
]);

export default tseslint.config(
  { ignores: ["build/", "public/build/", "app/generated/", ".cache/", ".data/", "tests/.results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            'Use `import * as z from "zod"`: the named z is one object holding all of zod, 450 KB in every page that imports it.',
        },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "request",
          property: "formData",
          message: "Read forms with parseForm (app/web/form-input.server.ts): it bounds the body before parsing.",
        },
      ],
    },
  },
  {
    files: ["prisma/**/*.ts", "tools/**/*.ts", "tests/**/*.ts", "app/server/main.ts", "app/cli/**/*.ts"],
    rules: { "no-console": "off" },
  },
  layer(
    ["app/domain/**"],
    [
      ...outsideDomain,
      "~/generated/prisma/*",
      "!~/generated/prisma/enums",
      "@prisma/*",
      "@remix-run/*",
      "react",
      "pg",
      "node:*",
    ],
    "app/domain is pure: it imports only app/domain, zod and the generated enums (no I/O, no framework).",
  ),
  layer(
    ["app/models/**"],
    [
      "~/routes/*",
      "~/components/*",
      "~/web/*",
      "**/routes/*",
      "**/components/*",
      "**/web/*",
      "react",
      "@remix-run/react",
    ],
    "Models are database access: they never import routes, components or the web layer.",
  ),
  layer(
    ["app/routes/**", "app/components/**", "app/root.tsx"],
    ["~/server/db.server", "**/server/db.server", "~/generated/prisma/client", "@prisma/*", "pg"],
    "Routes and components reach the database only through app/models.",
  ),
  layer(["app/server/**", "app/web/**", "app/cli/**", "app/entry.server.tsx"], []),
);
